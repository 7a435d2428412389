/**
 * The merge of `mergeByTime`: the next row out is the earliest head among the sources, ties to
 * the source that came first; a row waits until every active source has a row or has
 * completed; an invalid line never waits; `idleTimeout` lets a quiet source stop holding the
 * others back; a pausable source is paused past `highWaterMark` waiting rows. Each source's
 * batches are copied into its own columnar queue (a parsed line as one row), and runs of rows
 * that can go are copied out into a `MergedBatch`, no object per line. The sources with rows
 * are in a heap by head time, those waited for in a heap by last arrival: a merge of ten
 * thousand files costs a logarithm per run of rows, not a scan of every file.
 */
import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { ParsedLine } from '../types.js';
import { pauseOf, type PauseControl } from './pausable.js';
import { BATCH_ROWS, RecordBatch } from '../parse/recordBatch.js';
import { RowQueue } from './rowQueue.js';
import { IdMap, MergedBatch, MergedNames } from './mergedBatch.js';
import { MinHeap } from './minHeap.js';
import { caughtUpOf } from './caughtUp.js';

export interface BatchMergeOptions {
  readonly idleTimeout: number | undefined;
  readonly scheduler: SchedulerLike;
  readonly highWaterMark: number;
  readonly onHolding?: ((holding: () => boolean) => void) | undefined;
}

/** What a member's observers call (one set of functions per merge, not per source). */
interface MemberEvents {
  next(m: Member, item: RecordBatch | ParsedLine): void;
  error(err: unknown): void;
  complete(m: Member): void;
  caughtUp(m: Member, asOf: number | undefined): void;
}

/** One source of the merge, and the observer of its rows. */
class Member {
  readonly queue = new RowQueue();
  /** Its ids mapped to the merge's: made by a flush that takes its rows, kept only when dense (a busy source). */
  ids: IdMap | undefined;
  paused = false;
  done = false;
  /** When its reader last caught up. */
  caughtUpAt = Number.NEGATIVE_INFINITY;
  /** Its entry in the heap of sources waited for (empty, not done), while it is one. */
  waiting: Waiting | undefined;
  /** Rows were taken from it since the last flush. */
  touched = false;

  constructor(
    readonly index: number,
    readonly control: PauseControl | undefined,
    public lastArrival: number,
    /** Whether it says when its reader caught up (`caughtUp.ts`): then idle needs that, recently. */
    readonly confirms: boolean,
    private readonly events: MemberEvents,
  ) {}

  next(item: RecordBatch | ParsedLine): void {
    this.events.next(this, item);
  }

  error(err: unknown): void {
    this.events.error(err);
  }

  complete(): void {
    this.events.complete(this);
  }
}

/** The observer of a member's caught-up channel. */
class CaughtUpWatch {
  constructor(
    private readonly member: Member,
    private readonly events: MemberEvents,
  ) {}

  next(asOf: number | undefined): void {
    this.events.caughtUp(this.member, asOf);
  }
}

/** A source without rows that may still give some, as of `lastArrival` then. */
interface Waiting {
  readonly member: Member;
  readonly lastArrival: number;
}

const tags: Int32Array[] = [];

/** A `sources` column of `index` in every row. */
function sourceTags(index: number): Int32Array {
  return (tags[index] ??= new Int32Array(BATCH_ROWS).fill(index));
}

export function mergeBatches(
  sources: Observable<Observable<RecordBatch | ParsedLine>>,
  options: BatchMergeOptions,
): Observable<RecordBatch> {
  const { idleTimeout, scheduler, highWaterMark, onHolding } = options;
  return new Observable<RecordBatch>((subscriber) => {
    const members: Member[] = [];
    const queues: RowQueue[] = [];
    const inner: Subscription[] = [];
    const names = new MergedNames();
    const out = new MergedBatch(queues);
    out.hostDict = names.hosts;
    out.sectionDict = names.sections;
    let outerDone = false;
    let timer: Subscription | undefined;
    let draining = false;
    /** Sources with rows, by head time, ties to the earlier source. */
    const ready = new MinHeap<Member>((a, b) => {
      const ta = a.queue.timeAt(a.queue.head);
      const tb = b.queue.timeAt(b.queue.head);
      return ta < tb || (ta === tb && a.index < b.index);
    });
    /** Sources without rows not done yet, by last arrival (entries no longer current are skipped). */
    const waiting = new MinHeap<Waiting>((a, b) => a.lastArrival < b.lastArrival);
    const touched: Member[] = [];
    /** The member `take` is moving rows of. */
    let taking: Member | undefined;
    let notDone = 0;

    const wait = (m: Member): void => {
      m.waiting = { member: m, lastArrival: m.lastArrival };
      waiting.push(m.waiting);
    };

    /** The source waited for that arrived longest ago and is not idle yet (idle ones leave the heap). */
    const firstWaiting = (now: number): Member | undefined => {
      for (;;) {
        const entry = waiting.peek();
        if (entry === undefined) return undefined;
        const m = entry.member;
        if (m.waiting === entry && !m.done && m.queue.size === 0 && !isIdle(m, now)) return m;
        waiting.pop();
        if (m.waiting === entry) m.waiting = undefined;
      }
    };

    /** Whether a source other than `m` is waited for. */
    const waitingBesides = (m: Member, now: number): boolean => {
      const first = firstWaiting(now);
      if (first !== m) return first !== undefined;
      const own = waiting.pop() as Waiting;
      const other = firstWaiting(now) !== undefined;
      waiting.push(own);
      return other;
    };

    /**
     * Quiet for `idleTimeout`; for a source that says when its reader caught up, also seen caught
     * up since its last lines and within the idle timeout (a reader stopped or not started yet
     * has not looked: what piled up may be on disk).
     */
    const isIdle = (m: Member, now: number): boolean =>
      idleTimeout !== undefined &&
      now - m.lastArrival >= idleTimeout &&
      (!m.confirms || (m.caughtUpAt >= m.lastArrival && now - m.caughtUpAt < idleTimeout));

    const flush = (): void => {
      if (out.count > 0 && !subscriber.closed) subscriber.next(out);
      out.reset();
      if (names.full) names.clear();
      out.hostDict = names.hosts;
      out.sectionDict = names.sections;
      for (const m of touched) {
        m.touched = false;
        // Not the queue whose rows are being taken (a full batch flushed midway): its rows stay where they are.
        m.queue.dropConsumed(m !== taking);
        // A small source keeps no id map between flushes (ids of shared parsers are sparse: a few entries, soon made again).
        if (m.ids?.denseSlots === 0) m.ids = undefined;
      }
      touched.length = 0;
    };

    /** Moves rows `from` up to (not including) `to` of `m`'s queue into the output. */
    const take = (m: Member, from: number, to: number): void => {
      const q = m.queue;
      if (!m.touched) {
        m.touched = true;
        touched.push(m);
      }
      const ids = (m.ids ??= new IdMap());
      taking = m;
      for (let r = from; r < to; r++) {
        if (names.full) flush();
        if (subscriber.closed) {
          taking = undefined;
          return;
        }
        const o = out.count++;
        const code = q.statusOf(r);
        out.status[o] = code;
        out.sources[o] = m.index;
        out.rowRef[o] = r;
        if (code === 0) {
          out.invalid.push(q.invalidAt(r));
        } else {
          out.times[o] = q.timeOf(r);
          out.bytes[o] = q.bytesOf(r);
          ids.use(q.runAt(r), names);
          out.hostIds[o] = ids.host(q.hostIdOf(r), names);
          out.sectionIds[o] = ids.section(q.sectionIdOf(r), names);
        }
        if (out.count === BATCH_ROWS) flush();
      }
      taking = undefined;
      q.head = to;
      if (m.paused && q.size <= highWaterMark / 2) {
        m.paused = false;
        m.control?.resume();
      }
    };

    /** Emits every row that can no longer be preceded by another; schedules a re-check for quiet sources. */
    const drain = (): void => {
      if (draining) return;
      draining = true;
      try {
        for (;;) {
          if (subscriber.closed) return;
          const now = idleTimeout === undefined ? 0 : scheduler.now();
          const best = ready.peek();
          const waitingFor = firstWaiting(now);
          const bestTime = best === undefined ? Infinity : best.queue.timeAt(best.queue.head);
          if (best === undefined || (waitingFor !== undefined && bestTime !== -Infinity)) {
            if (best !== undefined && waitingFor !== undefined) scheduleRecheck(waitingFor, now);
            flush();
            if (best === undefined) finishIfDone();
            return;
          }
          // The rows of `best` that go before every other source's head: ties go to the earlier source.
          ready.pop();
          const next = ready.peek();
          const limit = next === undefined ? Infinity : next.queue.timeAt(next.queue.head);
          const limitIndex = next === undefined ? Infinity : next.index;
          const q = best.queue;
          const earlier = best.index < limitIndex;
          const onlyInvalid = waitingFor !== undefined;
          let to = q.head + 1;
          for (; to < q.tail; to++) {
            const time = q.timeAt(to);
            if (onlyInvalid && time !== -Infinity) break;
            if (!(time < limit || (time === limit && earlier))) break;
          }
          take(best, q.head, to);
          if (q.size > 0) ready.push(best);
          else if (!best.done) wait(best);
        }
      } finally {
        draining = false;
      }
    };

    const scheduleRecheck = (m: Member, now: number): void => {
      if (idleTimeout === undefined || timer !== undefined) return;
      // Past its quiet time but its reader has not caught up since: its next catching up drains.
      if (m.confirms && now - m.lastArrival >= idleTimeout) return;
      timer = scheduler.schedule(
        () => {
          timer = undefined;
          drain();
        },
        Math.max(1, m.lastArrival + idleTimeout - now),
      );
    };

    const finishIfDone = (): void => {
      if (outerDone && notDone === 0 && ready.size === 0) subscriber.complete();
    };

    /**
     * A batch that would leave whole at once goes straight through, uncopied: nothing of its
     * source waits before it, no other source has a row or is still to be heard from, and the
     * merge would drain now. It keeps its own dictionaries; its rows are tagged with the source.
     */
    const passesThrough = (m: Member, batch: RecordBatch): boolean => {
      if (draining || m.queue.size > 0 || batch.sources !== undefined || !(outerDone || idleTimeout !== undefined) || subscriber.closed)
        return false;
      const now = idleTimeout === undefined ? 0 : scheduler.now();
      if (ready.size > 0 || waitingBesides(m, now)) return false;
      batch.sources = sourceTags(m.index);
      try {
        subscriber.next(batch);
      } finally {
        batch.sources = undefined;
      }
      if (idleTimeout !== undefined) {
        m.lastArrival = scheduler.now();
        if (!m.done) wait(m);
      }
      return true;
    };

    /** Rows came into `m`'s queue (it was empty: it joins the sources with rows). */
    const arrived = (m: Member, wasEmpty: boolean): void => {
      if (wasEmpty && m.queue.size > 0) {
        m.waiting = undefined;
        ready.push(m);
      }
      if (m.control !== undefined && !m.paused && m.queue.size >= highWaterMark) {
        m.paused = true;
        m.control.pause();
      }
      if (idleTimeout !== undefined) m.lastArrival = scheduler.now();
      if (outerDone || idleTimeout !== undefined) drain();
    };

    const events: MemberEvents = {
      next: (member, item) => {
        const queue = member.queue;
        if (item instanceof RecordBatch) {
          // Rows that may carry a duration (read through recordAt) make the merged batches say so.
          if (item.durations) out.durations = true;
          if (passesThrough(member, item)) return;
          const wasEmpty = queue.size === 0;
          queue.pushBatch(item, !draining);
          arrived(member, wasEmpty);
        } else {
          if (item.type === 'record' && item.duration !== undefined) out.durations = true;
          const wasEmpty = queue.size === 0;
          queue.pushLine(item, !draining);
          arrived(member, wasEmpty);
        }
      },
      error: (err) => subscriber.error(err),
      complete: (member) => {
        member.done = true;
        notDone--;
        if (outerDone || idleTimeout !== undefined) drain();
      },
      caughtUp: (member, asOf) => {
        // As of when its reader looked: a look begun before a stop does not count for after it.
        member.caughtUpAt = Math.max(member.caughtUpAt, Math.min(asOf ?? Number.POSITIVE_INFINITY, scheduler.now()));
        if (member.queue.size === 0 && !member.done) drain();
      },
    };

    onHolding?.(() => ready.size > 0);
    const outer = sources.subscribe({
      next: (source) => {
        const caughtUp = caughtUpOf(source);
        const confirms = idleTimeout !== undefined && caughtUp !== undefined;
        const lastArrival = idleTimeout === undefined ? 0 : scheduler.now();
        const member = new Member(members.length, pauseOf(source), lastArrival, confirms, events);
        members.push(member);
        notDone++;
        wait(member);
        queues.push(member.queue);
        if (confirms && caughtUp !== undefined) inner.push(caughtUp.subscribe(new CaughtUpWatch(member, events)));
        inner.push(source.subscribe(member));
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => {
        outerDone = true;
        drain();
      },
    });

    return () => {
      outer.unsubscribe();
      for (const s of inner) s.unsubscribe();
      timer?.unsubscribe();
      timer = undefined;
      members.length = 0;
      ready.clear();
      waiting.clear();
    };
  });
}
