/**
 * What `pipeChunks` (main thread) and `pipeReader` (its worker thread) say to each other: a
 * module of its own so that the main thread loads neither the worker's code nor
 * node:worker_threads before it reads a pipe.
 */

export interface PipeReaderData {
  readonly fd: number;
  readonly shared: SharedArrayBuffer;
  readonly slots: number;
  readonly slotSize: number;
}

/** Worker -> main thread: up (waiting for `START`), a filled slot, end of input, a read error. */
export type PipeReaderMessage =
  | { readonly ready: true }
  | { readonly slot: number; readonly length: number }
  | { readonly end: true }
  | { readonly error: string; readonly code?: string };

/** Main thread -> worker: start reading (the main thread no longer does); else a slot number given back. */
export const START = -1;
