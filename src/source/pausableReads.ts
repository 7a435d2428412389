/**
 * A plain file read once to its end in large chunks, two reused buffers (the next read runs
 * while a chunk is consumed, as in chunkReader.ts), which can be held: while `held()` says so,
 * no new read starts; `resume()` starts the one that waited. Errors keep their errno `code`.
 */
import { close, fstat, open, read } from 'node:fs';

export interface PausableReads {
  /** Starts the read that waited for the hold to end, if any. */
  resume(): void;
  /** Stops reading and closes the file (once no read is in flight). */
  stop(): void;
}

export function pausableReads(
  path: string,
  chunkSize: number,
  held: () => boolean,
  handler: { chunk(bytes: Buffer): void; end(): void; error(err: NodeJS.ErrnoException): void },
): PausableReads {
  const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
  let fd: number | undefined;
  let position = 0;
  /** A regular file is read at explicit positions; a pipe or device, in sequence. */
  let positioned = true;
  let busy = false;
  let stopped = false;
  let waiting: number | undefined;
  const finish = (): void => {
    stopped = true;
    if (fd !== undefined) close(fd, () => undefined);
    fd = undefined;
  };
  const readInto = (index: number): void => {
    if (held()) {
      waiting = index;
      return;
    }
    const buffer = buffers[index] as Buffer;
    busy = true;
    read(fd as number, buffer, 0, buffer.length, positioned ? position : null, (err, bytesRead) => {
      busy = false;
      if (stopped) return finish();
      if (err !== null) {
        finish();
        return handler.error(err);
      }
      if (bytesRead === 0) {
        finish();
        return handler.end();
      }
      position += bytesRead;
      readInto(1 - index); // the other buffer was consumed already
      handler.chunk(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
    });
  };
  open(path, 'r', (err, opened) => {
    if (err !== null) return handler.error(err);
    if (stopped) return close(opened, () => undefined);
    fd = opened;
    fstat(opened, (statError, stats) => {
      if (stopped) return finish();
      if (statError !== null) {
        finish();
        return handler.error(statError);
      }
      positioned = stats.isFile();
      readInto(0);
    });
  });
  return {
    resume: () => {
      if (waiting === undefined || stopped || fd === undefined) return;
      const index = waiting;
      waiting = undefined;
      readInto(index);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (!busy) finish();
    },
  };
}
