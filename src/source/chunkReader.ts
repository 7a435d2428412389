/**
 * The one read loop: reads an open file (a descriptor, or a `FileHandle` the tailer keeps
 * open) from an offset in large chunks into one or two reused buffers. With two, the next
 * read runs (in libuv's thread pool) while a chunk is handed over. Reading can be held back
 * (`ReadGate`), stopped, and checked after each read before its bytes are handed over (the
 * tailer's truncation check). Read errors reject with their errno `code`.
 */
import { read } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Bytes per read, unless a source is told otherwise. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

export interface ReadChunksOptions {
  /** Offset of the first byte read (a regular file, read at explicit positions); null: read in sequence (a pipe, a device, standard input). */
  readonly position: number | null;
  /** One buffer, or two of the same size (the next read then runs while a chunk is handed over). */
  readonly buffers: readonly Buffer[];
  /** A short read is the end for now (the tailer comes back at the next change); otherwise reading goes on until a read gives 0 bytes. */
  readonly shortReadEnds: boolean;
  /** Checked before each read and after each: true stops reading ('stopped'). */
  readonly stopped?: () => boolean;
  /** No new read starts while the gate is paused. */
  readonly gate?: ReadGate | undefined;
  /**
   * After each read, before its bytes are handed over (`bytes`, read at `at`; null in sequence):
   * false drops them and ends reading ('rejected').
   */
  readonly accept?: ((bytes: Buffer, at: number | null) => boolean | Promise<boolean>) | undefined;
}

export type ReadOutcome = 'eof' | 'stopped' | 'rejected';

/**
 * Hands each read's bytes to `chunk`; the buffer is reused once `chunk` returns, or, if it
 * returns a promise, once that settles (a consumer that works asynchronously, like zlib).
 * Resolves when reading ends, once no read is in flight (the file can then be closed).
 *
 * @returns How reading ended, and the bytes handed over.
 */
export async function readChunks(
  file: number | FileHandle,
  options: ReadChunksOptions,
  chunk: (bytes: Buffer) => void | Promise<void>,
): Promise<{ outcome: ReadOutcome; bytes: number }> {
  const { buffers, shortReadEnds, gate, accept, stopped = () => false } = options;
  const readAt = typeof file === 'number' ? readFd(file) : readHandle(file);
  let position = options.position;
  let index = 0;
  let pending: Promise<number> | undefined;
  let bytes = 0;
  try {
    for (;;) {
      if (pending === undefined) {
        await gate?.opened();
        if (stopped()) return { outcome: 'stopped', bytes };
        pending = readAt(buffers[index] as Buffer, position);
      }
      const bytesRead = await pending;
      pending = undefined;
      if (stopped()) return { outcome: 'stopped', bytes };
      if (bytesRead === 0) return { outcome: 'eof', bytes };
      const buffer = buffers[index] as Buffer;
      if (accept !== undefined && !(await accept(buffer.subarray(0, bytesRead), position))) return { outcome: 'rejected', bytes };
      if (stopped()) return { outcome: 'stopped', bytes };
      const last = shortReadEnds && bytesRead < buffer.length;
      bytes += bytesRead;
      if (position !== null) position += bytesRead;
      if (!last && buffers.length > 1 && gate?.paused !== true) {
        index = 1 - index;
        pending = readAt(buffers[index] as Buffer, position);
      }
      const done = chunk(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
      if (done !== undefined) await done;
      if (last) return { outcome: 'eof', bytes };
    }
  } finally {
    // A read still running writes into a buffer the caller may reuse or free: let it finish first.
    if (pending !== undefined) await pending.catch(() => 0);
  }
}

/** Holds reads back: while paused, no new read starts (the one in flight still arrives). */
export class ReadGate {
  paused = false;
  private wake: (() => void) | undefined;
  private wait: Promise<void> | undefined;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
    this.wake = undefined;
    this.wait = undefined;
  }

  /** Resolves once not paused (undefined when not paused now). */
  opened(): Promise<void> | undefined {
    if (!this.paused) return undefined;
    return (this.wait ??= new Promise<void>((resolve) => (this.wake = resolve)));
  }
}

function readFd(fd: number): (buffer: Buffer, position: number | null) => Promise<number> {
  return (buffer, position) =>
    new Promise((resolve, reject) =>
      read(fd, buffer, 0, buffer.length, position, (err, bytesRead) => (err === null ? resolve(bytesRead) : reject(err))),
    );
}

function readHandle(handle: FileHandle): (buffer: Buffer, position: number | null) => Promise<number> {
  return (buffer, position) => handle.read(buffer, 0, buffer.length, position).then((r) => r.bytesRead);
}
