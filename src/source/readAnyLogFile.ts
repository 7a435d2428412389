/** A log file read once, plain or gzip-compressed (told by its first bytes): line chunks, as `readLogFile` gives them. */
import { defer, from, switchMap, type Observable } from 'rxjs';
import { fileChunks } from './fileChunks.js';
import { gunzipChunks, isGzipFile } from './gzipFile.js';
import type { LineChunk } from './lineChunk.js';

/**
 * The lines of a whole file, plain or gzip-compressed (told by its first bytes, not its
 * name), as `readLogFile` gives them.
 */
export function readAnyLogFile(path: string): Observable<LineChunk> {
  return defer(() => from(isGzipFile(path))).pipe(switchMap((gzip) => (gzip ? gunzipChunks(path) : fileChunks(path))));
}
