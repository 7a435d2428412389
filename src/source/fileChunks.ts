/**
 * A file read once to its end, as line chunks (byte ranges, see `lineChunk.ts`): big reads
 * into two reused buffers (the next read runs while a chunk is split and consumed), no string
 * per line. Errors opening or reading (ENOENT, EISDIR, EACCES...) are `FileError`s with the errno `code`.
 */
import { close, fstat, open } from 'node:fs';
import { Observable } from 'rxjs';
import { toFileError } from '../errors.js';
import { readChunks } from './chunkReader.js';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';
import { DEFAULT_MAX_LINE_BYTES } from './lineSplitter.js';

/** Where and how `readLogFile` reads. */
export interface FileChunksOptions {
  /** Byte offset to start at; the bytes from there are read as if they were the file. Default 0. */
  readonly startOffset?: number;
  /** Bytes per read. Default 1 MiB. */
  readonly chunkSize?: number;
  /** Longer lines are flagged overlong. Default 65536. */
  readonly maxLineBytes?: number;
}

export function fileChunks(path: string, options: FileChunksOptions = {}): Observable<LineChunk> {
  const { startOffset = 0, chunkSize = 1 << 20, maxLineBytes = DEFAULT_MAX_LINE_BYTES } = options;
  return new Observable<LineChunk>((subscriber) => {
    let stopped = false;
    let stopReading = (): void => undefined;
    const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk), startOffset, maxLineBytes);
    open(path, 'r', (openError, fd) => {
      if (openError !== null) return subscriber.error(toFileError(openError, path));
      if (stopped) return close(fd, () => undefined);
      fstat(fd, (statError, stats) => {
        if (statError !== null) {
          close(fd, () => undefined);
          return subscriber.error(toFileError(statError, path));
        }
        if (stopped) return close(fd, () => undefined);
        stopReading = readChunks(fd, { chunkSize, start: startOffset, positioned: stats.isFile(), close: true }, {
          chunk: (bytes) => splitter.push(bytes),
          end: () => {
            splitter.end();
            subscriber.complete();
          },
          error: (err) => subscriber.error(toFileError(err, path)),
        });
      });
    });
    return () => {
      stopped = true;
      stopReading();
    };
  });
}
