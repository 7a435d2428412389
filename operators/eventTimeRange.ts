import { Observable, type OperatorFunction } from 'rxjs';
import type { ParsedLine } from '../src/types.js';
import { FilteredBatch } from '../src/core/filteredBatch.js';
import { ParsedBatcher } from '../src/core/parsedBatch.js';
import type { RecordBatch } from '../src/parse/recordBatch.js';
import { MonitorOptionsError } from '../src/errors.js';

/** Lines left out by `eventTimeRange`, counted so that every line stays accounted for. */
export interface OutOfRangeCount {
  /** Lines dated before `since` or at or after `until`. */
  outOfRange: number;
}

/** Options of `eventTimeRange`. */
export interface EventTimeRangeOptions {
  /** Keep records at or after this time (ms since the epoch). Default: no lower bound. */
  readonly since?: number | undefined;
  /** Keep records before this time (ms). Default: no upper bound. */
  readonly until?: number | undefined;
  /** Incremented for every record left out. */
  readonly counts?: OutOfRangeCount;
}

/**
 * Keeps the records whose event time is in `[since, until)` and counts the others; invalid
 * lines pass (they have no time, and stay counted as invalid). It filters whole record batches,
 * passing on a batch that is all in range as it is (a `ParsedLine` is a batch of one row).
 *
 * ```
 * since 10 s, until 20 s (records by event time in s; I: invalid line)
 * source:  --r(5)--r(12)--I--r(25)--r(19)--|
 * output:  --------r(12)--I---------r(19)--|     counts.outOfRange = 2
 * ```
 *
 * @example
 * ```ts
 * import { parseAccessLog, eventTimeRange, eventTimeWindows } from 'apachescan/operators';
 * const counts = { outOfRange: 0 };
 * lines$.pipe(parseAccessLog(), eventTimeRange({ since: Date.parse('2026-01-01'), counts }), eventTimeWindows());
 * ```
 * @param options The range and where to count the records left out.
 * @returns An operator passing the rows in range, as record batches.
 */
export function eventTimeRange(options: EventTimeRangeOptions): OperatorFunction<RecordBatch | ParsedLine, RecordBatch> {
  const since = options.since ?? -Infinity;
  const until = options.until ?? Infinity;
  if (Number.isNaN(since) || Number.isNaN(until)) throw new MonitorOptionsError('since and until must be times in ms');
  return (source) =>
    new Observable<RecordBatch>((subscriber) => {
      const counts = options.counts ?? { outOfRange: 0 };
      const kept = new FilteredBatch();
      const batcher = new ParsedBatcher();
      return source.subscribe({
        next: (item) => {
          const batch = batcher.of(item);
          const { count, status, times } = batch;
          let out = 0;
          for (let row = 0; row < count; row++) {
            const time = times[row] as number;
            if (status[row] !== 0 && (time < since || time >= until)) out++;
          }
          if (out === 0) return subscriber.next(batch);
          counts.outOfRange += out;
          if (out === count) return;
          kept.start(batch);
          let invalid = 0;
          for (let row = 0; row < count; row++) {
            const time = times[row] as number;
            if (status[row] === 0) kept.add(row, invalid++);
            else if (time >= since && time < until) kept.add(row, 0);
          }
          subscriber.next(kept);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
