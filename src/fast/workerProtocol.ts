/** What the main thread and `parseWorker` tell each other (besides the batches). */
import type { BatchMessage } from './recordBatch.js';

export interface WorkerInput {
  /** An open descriptor of a regular file; the main thread closes it. */
  readonly fd: number;
  /** Byte offset where the input starts (range 0 starts there). */
  readonly start: number;
  /** Bytes per range. */
  readonly rangeSize: number;
  readonly format: string;
  /** This worker reads ranges `index`, `index + stride`, ... */
  readonly index: number;
  readonly stride: number;
  /** Int32 [stop flag, batches consumed from worker 0, from worker 1, ...]. */
  readonly control: SharedArrayBuffer;
}

/** A read error, with the fields of Node's errno exceptions. */
export interface WorkerError {
  readonly type: 'error';
  readonly message: string;
  readonly code: string | undefined;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;
}

export type WorkerMessage = BatchMessage | WorkerError;
