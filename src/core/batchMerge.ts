/**
 * The merge of `mergeByTime`: the next row out is the earliest head among the sources, ties to
 * the source that came first; a row waits until every active source has a row or has
 * completed; an invalid line never waits; `idleTimeout` lets a quiet source stop holding the
 * others back; a pausable source is paused past `highWaterMark` waiting rows. Each source's
 * batches are copied into its own columnar queue (a parsed line as one row), and runs of rows
 * that can go are copied out into a `MergedBatch`, no object per line.
 */
import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { ParsedLine } from '../types.js';
import { pauseOf, type PauseControl } from './pausable.js';
import { BATCH_ROWS, RecordBatch } from '../parse/recordBatch.js';
import { RowQueue } from './rowQueue.js';
import { IdMap, MergedBatch, MergedNames } from './mergedBatch.js';

export interface BatchMergeOptions {
  readonly idleTimeout: number | undefined;
  readonly scheduler: SchedulerLike;
  readonly highWaterMark: number;
}

interface Member {
  readonly index: number;
  readonly queue: RowQueue;
  readonly ids: IdMap;
  readonly control: PauseControl | undefined;
  paused: boolean;
  done: boolean;
  lastArrival: number;
}

const tags: Int32Array[] = [];

/** A `sources` column of `index` in every row. */
function sourceTags(index: number): Int32Array {
  return (tags[index] ??= new Int32Array(BATCH_ROWS).fill(index));
}

export function mergeBatches(sources: Observable<Observable<RecordBatch | ParsedLine>>, options: BatchMergeOptions): Observable<RecordBatch> {
  const { idleTimeout, scheduler, highWaterMark } = options;
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

    const isIdle = (m: Member, now: number): boolean => idleTimeout !== undefined && now - m.lastArrival >= idleTimeout;

    const flush = (): void => {
      if (out.count > 0 && !subscriber.closed) subscriber.next(out);
      out.reset();
      if (names.full) names.clear();
      out.hostDict = names.hosts;
      out.sectionDict = names.sections;
      for (const m of members) m.queue.dropConsumed();
    };

    /** Moves rows `from` up to (not including) `to` of `m`'s queue into the output. */
    const take = (m: Member, from: number, to: number): void => {
      const q = m.queue;
      for (let r = from; r < to; r++) {
        if (names.full) flush();
        if (subscriber.closed) return;
        const o = out.count++;
        const code = q.status[r] as number;
        out.status[o] = code;
        out.sources[o] = m.index;
        out.rowRef[o] = r;
        if (code === 0) {
          out.invalid.push(q.invalidAt(r));
        } else {
          out.times[o] = q.times[r] as number;
          out.bytes[o] = q.bytes[r] as number;
          m.ids.use(q.runAt(r), names);
          out.hostIds[o] = m.ids.host(q.hostIds[r] as number, names);
          out.sectionIds[o] = m.ids.section(q.sectionIds[r] as number, names);
        }
        if (out.count === BATCH_ROWS) flush();
      }
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
          let best: Member | undefined;
          let bestTime = Infinity;
          let waitingFor: Member | undefined;
          for (const m of members) {
            const q = m.queue;
            if (q.head < q.tail) {
              const time = q.timeAt(q.head);
              if (best === undefined || time < bestTime) {
                best = m;
                bestTime = time;
              }
            } else if (!m.done && !isIdle(m, now)) {
              if (waitingFor === undefined || m.lastArrival < waitingFor.lastArrival) waitingFor = m;
            }
          }
          if (best === undefined || (waitingFor !== undefined && bestTime !== -Infinity)) {
            if (best !== undefined && waitingFor !== undefined) scheduleRecheck(waitingFor, now);
            flush();
            if (best === undefined) finishIfDone();
            return;
          }
          // The rows of `best` that go before every other source's head: ties go to the earlier source.
          let limit = Infinity;
          let limitIndex = Infinity;
          for (const m of members) {
            const q = m.queue;
            if (m === best || q.head >= q.tail) continue;
            const time = q.timeAt(q.head);
            if (time < limit || (time === limit && m.index < limitIndex)) {
              limit = time;
              limitIndex = m.index;
            }
          }
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
        }
      } finally {
        draining = false;
      }
    };

    const scheduleRecheck = (m: Member, now: number): void => {
      if (idleTimeout === undefined || timer !== undefined) return;
      timer = scheduler.schedule(() => {
        timer = undefined;
        drain();
      }, Math.max(1, m.lastArrival + idleTimeout - now));
    };

    const finishIfDone = (): void => {
      if (outerDone && members.every((m) => m.done && m.queue.size === 0)) subscriber.complete();
    };

    /**
     * A batch that would leave whole at once goes straight through, uncopied: nothing of its
     * source waits before it, no other source has a row or is still to be heard from, and the
     * merge would drain now. It keeps its own dictionaries; its rows are tagged with the source.
     */
    const passesThrough = (m: Member, batch: RecordBatch): boolean => {
      if (draining || m.queue.size > 0 || batch.sources !== undefined || !(outerDone || idleTimeout !== undefined) || subscriber.closed) return false;
      const now = idleTimeout === undefined ? 0 : scheduler.now();
      for (const other of members) if (other !== m && (other.queue.size > 0 || (!other.done && !isIdle(other, now)))) return false;
      batch.sources = sourceTags(m.index);
      try {
        subscriber.next(batch);
      } finally {
        batch.sources = undefined;
      }
      if (idleTimeout !== undefined) m.lastArrival = scheduler.now();
      return true;
    };

    const arrived = (m: Member): void => {
      if (m.control !== undefined && !m.paused && m.queue.size >= highWaterMark) {
        m.paused = true;
        m.control.pause();
      }
      if (idleTimeout !== undefined) m.lastArrival = scheduler.now();
      if (outerDone || idleTimeout !== undefined) drain();
    };

    const outer = sources.subscribe({
      next: (source) => {
        const queue = new RowQueue();
        const member: Member = { index: members.length, queue, ids: new IdMap(), control: pauseOf(source), paused: false, done: false, lastArrival: idleTimeout === undefined ? 0 : scheduler.now() };
        members.push(member);
        queues.push(queue);
        const error = (err: unknown): void => subscriber.error(err);
        const complete = (): void => {
          member.done = true;
          if (outerDone || idleTimeout !== undefined) drain();
        };
        inner.push(
          source.subscribe({
            next: (item) => {
              if (item instanceof RecordBatch) {
                // Rows that may carry a duration (read through recordAt) make the merged batches say so.
                if (item.durations) out.durations = true;
                if (passesThrough(member, item)) return;
                queue.pushBatch(item, !draining);
              } else {
                if (item.type === 'record' && item.duration !== undefined) out.durations = true;
                queue.pushLine(item, !draining);
              }
              arrived(member);
            },
            error,
            complete,
          }),
        );
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
    };
  });
}
