/**
 * Reading a whole file as lines, in big bounded reads: memory stays within two chunks (one being
 * split while the next is read) plus one held partial line, whatever the file size. Completes at end of file (an unterminated last
 * line is emitted too); fs errors (ENOENT, EISDIR, EACCES...) arrive as Observable errors whose
 * `code` is the errno code.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Observable } from 'rxjs';
import {
  DEFAULT_MAX_LINE_BYTES,
  flushSplitter,
  initialSplitter,
  splitChunk,
  type LineBatch,
} from './lineSplitter.js';
import { eachLine } from './overlong.js';
import { toFileError } from '../errors.js';

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** Where and how `readLines` reads. */
export interface ReadLinesOptions {
  /** Byte offset to start at (a line boundary, e.g. a saved checkpoint); default 0. */
  readonly startOffset?: number;
  /** Bytes per read; default 1 MiB. */
  readonly chunkSize?: number;
  /** Longer lines are cut and flagged overlong; default 65536. */
  readonly maxLineBytes?: number;
}

/**
 * The lines of a file, one batch per read (`ends` holds each line's end offset).
 *
 * ```ts
 * readLineBatches('access.log').subscribe(({ lines, overlong }) => count(lines, overlong));
 * ```
 *
 * @param path The file to read.
 * @param options `startOffset`, `chunkSize`, `maxLineBytes`.
 * @returns Batches of lines; completes at end of file; errors are `FileError`s carrying the errno `code`.
 */
export function readLineBatches(path: string, options: ReadLinesOptions = {}): Observable<LineBatch> {
  const { startOffset = 0, chunkSize = DEFAULT_CHUNK_SIZE, maxLineBytes = DEFAULT_MAX_LINE_BYTES } = options;
  return new Observable<LineBatch>((subscriber) => {
    let handle: FileHandle | undefined;
    const run = async (): Promise<void> => {
      const file = await open(path, 'r');
      handle = file;
      // Two buffers: the next read runs while the current chunk is split.
      const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
      let state = initialSplitter(startOffset);
      let position = startOffset;
      let turn = 0;
      const readInto = (buffer: Buffer) => file.read(buffer, 0, chunkSize, position);
      let next = readInto(buffers[0] as Buffer);
      while (!subscriber.closed) {
        const { bytesRead, buffer } = await next;
        if (bytesRead === 0) break;
        position += bytesRead;
        turn ^= 1;
        next = readInto(buffers[turn] as Buffer);
        const step = splitChunk(state, buffer.subarray(0, bytesRead), maxLineBytes);
        state = step.state;
        if (step.batch.lines.length > 0) subscriber.next(step.batch);
      }
      if (subscriber.closed) {
        next.catch(() => undefined);
        return;
      }
      const last = flushSplitter(state, maxLineBytes).batch;
      if (last.lines.length > 0) subscriber.next(last);
      subscriber.complete();
    };
    run()
      .catch((err: unknown) => subscriber.error(toFileError(err, path)))
      .finally(() => handle?.close().catch(() => undefined));
  });
}

/**
 * The lines of a file, one value per line; an overlong line arrives as `OVERLONG_LINE`.
 *
 * ```ts
 * readLines('access.log').pipe(parseAccessLog(format)).subscribe(...);
 * ```
 *
 * @param path The file to read.
 * @param options As for `readLineBatches`.
 * @returns Every line; completes at end of file; errors are `FileError`s carrying the errno `code`.
 */
export function readLines(path: string, options: ReadLinesOptions = {}): Observable<string> {
  return eachLine(readLineBatches(path, options));
}
