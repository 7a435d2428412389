/**
 * `monitorFile`: `monitor(readLogFile(path))` with the reading options of a whole-file replay.
 * A composition, not a second engine: the file's line chunks go through the operators'
 * batch path (see src/core/batches.ts).
 */
import { EMPTY, type Observable } from 'rxjs';
import type { MonitorEvent } from './types.js';
import { monitor, type MonitorOptions } from './monitor.js';
import { readLogFile } from './readLogFile.js';
import { openInterval } from './engineState.js';
import { MonitorOptionsError } from './errors.js';

/** `monitor`'s options plus where and how to read the file. */
export interface MonitorFileOptions extends MonitorOptions {
  /**
   * Called once per subscription with a function that peeks at the open interval (its start
   * and hits so far), for live views: the same as `openInterval` on the state given to `onState`.
   */
  readonly onPeek?: (peek: () => { start: number; hits: number } | undefined) => void;
  /** Byte offset to start reading at; the bytes from there are read as if they were the file. Default 0. */
  readonly startOffset?: number;
  /** Bytes per read. Default 1 MiB. */
  readonly chunkSize?: number;
  /**
   * Accepted for compatibility, no effect: parsing runs on the calling thread (a parsing
   * worker saved ~10 % on files of 384 MiB or more, at the price of a second engine).
   * Validated: `'auto'` or an integer 0 to 8.
   */
  readonly workers?: number | 'auto';
}

/**
 * Interval statistics, alert transitions and a summary for the log file at `path`, read once
 * to its end: `monitor(readLogFile(path, { startOffset, chunkSize }), options)`. Options are
 * validated when this is called (a bad option throws `MonitorOptionsError` synchronously).
 *
 * @example
 * ```ts
 * import { monitorFile } from 'apachescan';
 * monitorFile('access.log', { threshold: 20 }).subscribe((e) => console.log(e));
 * ```
 * @returns a cold Observable: each subscription reads the file; unsubscribing stops the reads.
 *   Errors opening or reading the file (ENOENT, EISDIR, EACCES...) arrive as an error carrying the errno `code`.
 */
export function monitorFile(path: string, options: MonitorFileOptions = {}): Observable<MonitorEvent> {
  monitor(EMPTY, options);
  const { startOffset = 0, chunkSize = 1 << 20, workers = 'auto', onPeek, onState } = options;
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) throw new MonitorOptionsError(`startOffset must be a non-negative integer, got ${startOffset}`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > 1 << 30) throw new MonitorOptionsError(`chunkSize must be an integer in [1, 2^30], got ${chunkSize}`);
  if (workers !== 'auto' && !(Number.isInteger(workers) && workers >= 0 && workers <= 8)) throw new MonitorOptionsError(`workers must be 'auto' or an integer in [0, 8], got ${String(workers)}`);
  return monitor(readLogFile(path, { startOffset, chunkSize }), {
    ...options,
    onState: (state) => {
      onState?.(state);
      onPeek?.(() => openInterval(state));
    },
  });
}
