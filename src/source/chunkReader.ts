/**
 * Reads an open file in large chunks into two reusable buffers: while one chunk is handed
 * over (synchronously), the next read is already running in libuv's thread pool. Errors
 * (e.g. EISDIR) arrive with their errno `code`, as from `readLogFile`.
 */
import { close, read } from 'node:fs';

export interface ChunkHandler {
  /** The next bytes; the buffer is reused once this returns. */
  chunk(bytes: Buffer): void;
  end(): void;
  error(err: Error): void;
}

export interface ChunkReaderOptions {
  readonly chunkSize: number;
  /** Byte offset of the first byte handed over. */
  readonly start: number;
  /** Regular file: read at explicit positions. Otherwise (pipe, device) read sequentially and skip `start` bytes. */
  readonly positioned: boolean;
  /** Close the descriptor when done or stopped. */
  readonly close: boolean;
}

/**
 * Starts reading `fd`; returns a function that stops (the descriptor is closed, if asked, once
 * no read is in flight). After `end` or `error`, nothing more is called.
 */
export function readChunks(fd: number, options: ChunkReaderOptions, handler: ChunkHandler): () => void {
  const buffers = [Buffer.allocUnsafe(options.chunkSize), Buffer.allocUnsafe(options.chunkSize)];
  let position = options.start;
  let skip = options.positioned ? 0 : options.start;
  let busy = false;
  let stopped = false;
  let closed = false;

  const finish = (): void => {
    stopped = true;
    if (options.close && !closed) close(fd, () => undefined);
    closed = true;
  };

  const readInto = (index: number): void => {
    const buffer = buffers[index] as Buffer;
    busy = true;
    read(fd, buffer, 0, buffer.length, options.positioned ? position : null, (err, bytesRead) => {
      busy = false;
      if (stopped) return finish();
      if (err !== null) {
        finish();
        handler.error(err);
        return;
      }
      if (bytesRead === 0) {
        finish();
        handler.end();
        return;
      }
      position += bytesRead;
      readInto(1 - index); // the other buffer was handed over already
      let from = 0;
      if (skip > 0) {
        from = Math.min(skip, bytesRead);
        skip -= from;
      }
      if (from < bytesRead) handler.chunk(from === 0 && bytesRead === buffer.length ? buffer : buffer.subarray(from, bytesRead));
    });
  };

  readInto(0);
  return () => {
    if (stopped) return;
    stopped = true;
    if (!busy) finish();
  };
}
