import type { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import { fileChunks, type ReadLogFileOptions } from './fileChunks.js';
import { streamChunks } from './streamChunks.js';
import type { LineChunk } from './lineChunk.js';
import { MonitorOptionsError } from '../errors.js';

export type { ReadLogFileOptions };

/**
 * The lines of a whole file, read in large chunks, as line chunks (`LineChunk`: up to 4096
 * lines a chunk, as byte ranges of the read buffer, no string per line), completing at end of
 * file. `parseAccessLog` and `monitor` take them as they are; `toLines()` turns them into
 * strings. A line longer than 64 KiB arrives cut, as a marker that parses as invalid. Errors
 * (missing file, directory, permission) arrive as Observable errors: `FileError` with the errno
 * `code`. A chunk is lent: valid during the `next` call that delivers it.
 * @throws MonitorOptionsError for a bad `startOffset` or `chunkSize`, synchronously.
 */
export function readLogFile(path: string, options: ReadLogFileOptions = {}): Observable<LineChunk> {
  const { startOffset = 0, chunkSize = 1 << 20 } = options;
  if (!Number.isSafeInteger(startOffset) || startOffset < 0)
    throw new MonitorOptionsError(`startOffset must be a non-negative integer, got ${startOffset}`);
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > 1 << 30)
    throw new MonitorOptionsError(`chunkSize must be an integer in [1, 2^30], got ${chunkSize}`);
  return fileChunks(path, options);
}

/**
 * The lines of a readable byte stream (e.g. standard input), as line chunks, split the same
 * way as files. `stop`, when it emits, ends the lines as if the stream had ended.
 */
export function readLogStream(stream: Readable, stop?: Observable<unknown>): Observable<LineChunk> {
  return streamChunks(stream, stop);
}
