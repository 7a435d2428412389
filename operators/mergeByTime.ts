import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { ParsedLine } from '../src/types.js';
import { pauseOf, type PauseControl } from '../src/core/pausable.js';
import { withBatches } from '../src/core/batches.js';
import { mergeBatches } from '../src/core/batchMerge.js';

/** Options of `mergeByTime`. */
export interface MergeByTimeOptions {
  /**
   * Processing time (ms) after which a source that has given nothing no longer holds the
   * others back (a quiet vhost must not stop windows closing). Its next lines join the merge
   * when they arrive. Undefined: a source holds the merge until it gives a line or completes
   * (replay: every source reaches its end).
   */
  readonly idleTimeout?: number;
  /** Where processing time comes from (only used with `idleTimeout`). */
  readonly scheduler?: SchedulerLike;
  /**
   * A source that can be paused (src/core/pausable.ts, e.g. a file being replayed) is paused
   * while this many of its lines wait, and resumed once they are out. Default 4096.
   */
  readonly highWaterMark?: number;
}

/** One source; members are kept in order of arrival, so ties in time go to the earlier one. */
interface Member {
  readonly queue: ParsedLine[];
  head: number;
  readonly control: PauseControl | undefined;
  paused: boolean;
  done: boolean;
  lastArrival: number;
}

/**
 * Merges several sources of parsed lines (one per log file) into one, in event time: the
 * classic merge step of a merge sort. The next line out is the earliest head among the
 * sources, ties going to the source that came first; lines of one source keep their order.
 * A line waits until every active source has a line or has completed (each source is its own
 * watermark: nothing earlier can come from it), so for files that are each in time order the
 * output is their lines sorted by time, stably. An invalid line has no time: it leaves as soon
 * as it is at the head of its source. With `idleTimeout`, a source quiet for that long stops
 * holding the others back (follow mode); sources may join at any time.
 *
 * ```
 * sources (by event time):  a: --1-----5--|     b: ----2---3----7--|
 * output:                   ------1-2---3--5---7--|
 *           1 waits for b's first line; 5 waits until b gives 7 (b could still give 4)
 * ```
 *
 * Batches (src/core/batches.ts): the result also offers the merged lines as record batches,
 * which `eventTimeWindows` folds: each source's batches (`parseAccessLog`'s) are copied into
 * columns, and runs of rows are copied out in merge order, no object per line; a source
 * without a batch view gives its values one row each.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { mergeByTime, parseAccessLog, eventTimeWindows } from 'apachescan/operators';
 * from([linesA$, linesB$].map((l) => l.pipe(parseAccessLog()))).pipe(mergeByTime(), eventTimeWindows());
 * ```
 * @param options Optional idle timeout and its scheduler.
 * @returns An operator from an Observable of sources to their lines merged by time; it
 * completes when the outer Observable and every source have completed.
 */
export function mergeByTime(options: MergeByTimeOptions = {}): OperatorFunction<Observable<ParsedLine>, ParsedLine> {
  const { idleTimeout, scheduler = asyncScheduler, highWaterMark = 4096 } = options;
  if (idleTimeout !== undefined && !(idleTimeout > 0)) throw new RangeError(`idleTimeout must be a positive number of ms, got ${idleTimeout}`);
  return (sources) => withBatches(mergeValues(sources, idleTimeout, scheduler, highWaterMark), mergeBatches(sources, { idleTimeout, scheduler, highWaterMark }));
}

function mergeValues(sources: Observable<Observable<ParsedLine>>, idleTimeout: number | undefined, scheduler: SchedulerLike, highWaterMark: number): Observable<ParsedLine> {
  return new Observable<ParsedLine>((subscriber) => {
    const members: Member[] = [];
    const inner: Subscription[] = [];
    let outerDone = false;
    let timer: Subscription | undefined;
    let draining = false;

    const isIdle = (m: Member, now: number): boolean => idleTimeout !== undefined && now - m.lastArrival >= idleTimeout;

    /** Emits every line that can no longer be preceded by another; schedules a re-check for quiet sources. */
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
            if (m.head < m.queue.length) {
              const line = m.queue[m.head] as ParsedLine;
              const time = line.type === 'record' ? line.time : -Infinity;
              if (best === undefined || time < bestTime) {
                best = m;
                bestTime = time;
              }
            } else if (!m.done && !isIdle(m, now)) {
              if (waitingFor === undefined || m.lastArrival < waitingFor.lastArrival) waitingFor = m;
            }
          }
          // A line with no time (invalid) never needs to wait.
          if (best === undefined || (waitingFor !== undefined && bestTime !== -Infinity)) {
            if (best !== undefined && waitingFor !== undefined) scheduleRecheck(waitingFor, now);
            if (best === undefined) finishIfDone();
            return;
          }
          const line = best.queue[best.head++] as ParsedLine;
          if (best.paused && best.queue.length - best.head <= highWaterMark / 2) {
            best.paused = false;
            best.control?.resume();
          }
          if (best.head === best.queue.length) {
            best.queue.length = 0;
            best.head = 0;
          } else if (best.head >= 1024 && best.head * 2 >= best.queue.length) {
            best.queue.splice(0, best.head);
            best.head = 0;
          }
          subscriber.next(line);
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
      if (outerDone && members.every((m) => m.done && m.head === m.queue.length)) subscriber.complete();
    };

    const outer = sources.subscribe({
      next: (source) => {
        const control = pauseOf(source);
        const member: Member = { queue: [], head: 0, control, paused: false, done: false, lastArrival: idleTimeout === undefined ? 0 : scheduler.now() };
        members.push(member);
        inner.push(
          source.subscribe({
            next: (line) => {
              member.queue.push(line);
              if (control !== undefined && !member.paused && member.queue.length - member.head >= highWaterMark) {
                member.paused = true;
                control.pause();
              }
              if (idleTimeout !== undefined) member.lastArrival = scheduler.now();
              if (outerDone || idleTimeout !== undefined) drain();
            },
            error: (err: unknown) => subscriber.error(err),
            complete: () => {
              member.done = true;
              if (outerDone || idleTimeout !== undefined) drain();
            },
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
