import { asyncScheduler, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { ParsedLine } from '../src/types.js';
import type { RecordBatch } from '../src/parse/recordBatch.js';
import { mergeBatches } from '../src/core/batchMerge.js';
import { MonitorOptionsError } from '../src/errors.js';

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
  /**
   * Receives, at subscription, `holding()`: whether lines wait in the merge for a source that
   * may still give earlier ones (follow mode holds the windows' idle time meanwhile).
   */
  readonly onHolding?: (holding: () => boolean) => void;
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
 * Sources give record batches (`parseAccessLog`'s) or parsed lines (one row each); each
 * source's rows are copied into columns, and runs of rows are copied out in merge order into
 * record batches (whose `sources` column says which source each row came from), no object per
 * line.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { readLogFile } from 'apachescan';
 * import { mergeByTime, parseAccessLog, eventTimeWindows } from 'apachescan/operators';
 * from([readLogFile('a.log'), readLogFile('b.log')].map((l) => l.pipe(parseAccessLog()))).pipe(mergeByTime(), eventTimeWindows());
 * ```
 * @param options Optional idle timeout and its scheduler.
 * @returns An operator from an Observable of sources to their lines merged by time; it
 * completes when the outer Observable and every source have completed.
 */
export function mergeByTime(options: MergeByTimeOptions = {}): OperatorFunction<Observable<RecordBatch | ParsedLine>, RecordBatch> {
  const { idleTimeout, scheduler = asyncScheduler, highWaterMark = 4096, onHolding } = options;
  if (idleTimeout !== undefined && !(idleTimeout > 0))
    throw new MonitorOptionsError(`idleTimeout must be a positive number of ms, got ${idleTimeout}`);
  return (sources) => mergeBatches(sources, { idleTimeout, scheduler, highWaterMark, onHolding });
}
