import type { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import { lineSource } from './source/chunkLines.js';
import { fileChunks, type FileChunksOptions } from './source/fileChunks.js';
import { streamChunks } from './source/streamChunks.js';

/**
 * The lines of a whole file, read in large chunks, completing at end of file. A line longer
 * than 64 KiB arrives cut, as a marker that parses as invalid. Errors (missing file,
 * directory, permission) arrive as Observable errors: `FileError` with the errno `code`.
 *
 * The operators read it in batches of byte ranges (its batch view, see src/core/batches.ts):
 * `monitor(readLogFile(path))` builds no string per line.
 */
export function readLogFile(path: string, options: FileChunksOptions = {}): Observable<string> {
  return lineSource(fileChunks(path, options));
}

/**
 * The lines of a readable byte stream (e.g. standard input), split the same way as files.
 * `stop`, when it emits, ends the lines as if the stream had ended.
 */
export function readLogStream(stream: Readable, stop?: Observable<unknown>): Observable<string> {
  return lineSource(streamChunks(stream, stop));
}
