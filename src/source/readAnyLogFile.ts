/**
 * A log file read once, plain or gzip-compressed (told by its first bytes): the same line
 * source as `readLogFile`, with line chunks as its batch view.
 */
import { defer, from, switchMap, type Observable } from 'rxjs';
import { lineSource } from './chunkLines.js';
import { fileChunks } from './fileChunks.js';
import { gunzipChunks, isGzipFile } from './gzipFile.js';
import type { LineChunk } from './lineChunk.js';

/**
 * The lines of a whole file, plain or gzip-compressed (told by its first bytes, not its
 * name), as `readLogFile` gives them.
 */
export function readAnyLogFile(path: string): Observable<string> {
  const chunks: Observable<LineChunk> = defer(() => from(isGzipFile(path))).pipe(switchMap((gzip) => (gzip ? gunzipChunks(path) : fileChunks(path))));
  return lineSource(chunks);
}
