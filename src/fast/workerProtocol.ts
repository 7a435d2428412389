/** What the main thread and `parseWorker` tell each other (besides the batches). */
import type { BatchMessage } from './recordBatch.js';

export interface WorkerInput {
  /** An open descriptor of a regular file; the main thread closes it. */
  readonly fd: number;
  readonly start: number;
  readonly chunkSize: number;
  readonly format: string;
  /** Int32 [batches consumed, stop flag]. */
  readonly control: SharedArrayBuffer;
}

export interface WorkerEnd {
  readonly type: 'end';
}

/** A read error, with the fields of Node's errno exceptions. */
export interface WorkerError {
  readonly type: 'error';
  readonly message: string;
  readonly code: string | undefined;
  readonly errno: number | undefined;
  readonly syscall: string | undefined;
}

export type WorkerMessage = BatchMessage | WorkerEnd | WorkerError;
