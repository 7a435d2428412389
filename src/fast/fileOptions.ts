/**
 * Options of `monitorFile`: validated exactly as `monitor` validates them (same checks, same
 * `MonitorOptionsError`, thrown synchronously), plus where and how to read the file.
 */
import { EMPTY } from 'rxjs';
import { monitor, type MonitorOptions } from '../monitor.js';

/** `monitor`'s options plus where and how to read the file. */
export interface MonitorFileOptions extends MonitorOptions {
  /** Byte offset to start reading at; the bytes from there are read as if they were the file. Default 0. */
  readonly startOffset?: number;
  /** Bytes per read (tuning and tests). Default 1 MiB. */
  readonly chunkSize?: number;
  /**
   * Read and parse in a worker thread while the calling thread aggregates: `true`, `false`, or
   * `'auto'` (default): for regular files of 32 MiB or more.
   */
  readonly worker?: boolean | 'auto';
}

export interface ResolvedFileOptions {
  /** The engine options, as given. */
  readonly monitor: MonitorOptions;
  readonly format: string;
  readonly startOffset: number;
  readonly chunkSize: number;
  readonly worker: boolean | 'auto';
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;

/**
 * Validates the options. `idleTimeout` is validated but unused: a file read to its end never
 * idles. (`maxFuture` and `scheduler` are used as `monitor` uses them.)
 * @throws MonitorOptionsError for anything `monitor` rejects; RangeError for a bad offset, chunk size or worker choice.
 */
export function resolveFileOptions(options: MonitorFileOptions): ResolvedFileOptions {
  // The very checks (and messages) of the reference pipeline: it validates when called.
  monitor(EMPTY, options);
  const { startOffset = 0, chunkSize = DEFAULT_CHUNK_SIZE, worker = 'auto', format = 'auto' } = options;
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) throw new RangeError(`startOffset must be a non-negative integer, got ${startOffset}`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > 1 << 30) throw new RangeError(`chunkSize must be an integer in [1, 2^30], got ${chunkSize}`);
  if (worker !== true && worker !== false && worker !== 'auto') throw new RangeError(`worker must be true, false or 'auto', got ${String(worker)}`);
  return { monitor: options, format, startOffset, chunkSize, worker };
}
