/**
 * Options of `monitorFile`: validated exactly as `monitor` validates them (same checks, same
 * `MonitorOptionsError`, thrown synchronously), plus where and how to read the file.
 */
import { EMPTY } from 'rxjs';
import { monitor, type MonitorOptions } from '../monitor.js';
import { MonitorOptionsError } from '../errors.js';

/** `monitor`'s options plus where and how to read the file. */
export interface MonitorFileOptions extends MonitorOptions {
  /**
   * Called once per subscription with a function that peeks at the open interval (its start
   * and hits so far), for live views: `openInterval(state)` on the state given to `onState`
   * sees no hits here, as windows keep counts, not records.
   */
  readonly onPeek?: (peek: () => { start: number; hits: number } | undefined) => void;
  /** Byte offset to start reading at; the bytes from there are read as if they were the file. Default 0. */
  readonly startOffset?: number;
  /** Bytes per read (and per range of a worker). Default 1 MiB. */
  readonly chunkSize?: number;
  /**
   * Worker threads that read and parse (byte ranges in turn) while the calling thread
   * aggregates: 0 (all on the calling thread), 1 to 8, or `'auto'` (default): 1 for a regular
   * file of 384 MiB or more, else 0.
   */
  readonly workers?: number | 'auto';
}

export interface ResolvedFileOptions {
  /** The engine options, as given. */
  readonly monitor: MonitorOptions;
  readonly onPeek: MonitorFileOptions['onPeek'];
  readonly format: string;
  readonly startOffset: number;
  readonly chunkSize: number;
  readonly workers: number | 'auto';
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;

/**
 * Validates the options. `idleTimeout` is validated but unused: a file read to its end never
 * idles. (`maxFuture` and `scheduler` are used as `monitor` uses them.)
 * @throws MonitorOptionsError for anything `monitor` rejects; and for a bad offset, chunk size or worker choice.
 */
export function resolveFileOptions(options: MonitorFileOptions): ResolvedFileOptions {
  // The very checks (and messages) of the reference pipeline: it validates when called.
  monitor(EMPTY, options);
  const { startOffset = 0, chunkSize = DEFAULT_CHUNK_SIZE, workers = 'auto', format = 'auto' } = options;
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) throw new MonitorOptionsError(`startOffset must be a non-negative integer, got ${startOffset}`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > 1 << 30) throw new MonitorOptionsError(`chunkSize must be an integer in [1, 2^30], got ${chunkSize}`);
  if (workers !== 'auto' && !(Number.isInteger(workers) && workers >= 0 && workers <= 8)) throw new MonitorOptionsError(`workers must be 'auto' or an integer in [0, 8], got ${String(workers)}`);
  return { monitor: options, onPeek: options.onPeek, format, startOffset, chunkSize, workers };
}
