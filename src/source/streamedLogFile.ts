/**
 * A log file read once, plain or gzip (told by its first bytes), whose reading can be paused
 * (see src/core/pausable.ts): what `monitorFiles` merges in a replay. Line chunks, as
 * `readLogFile` gives them.
 */
import { defer, from, switchMap } from 'rxjs';
import type { Observable } from 'rxjs';
import { withPause } from '../core/pausable.js';
import { ReadGate } from './chunkReader.js';
import { readFileChunks } from './fileChunks.js';
import { isGzipFile } from './gzipFile.js';
import type { LineChunk } from './lineChunk.js';
import { FileError, toFileError } from '../errors.js';

export function streamedLogFile(path: string): Observable<LineChunk> {
  const gate = new ReadGate();
  // A FileError with the errno code and the one-line message readLogFile gives.
  const fail = (err: NodeJS.ErrnoException): unknown => toFileError(err instanceof FileError ? err : Object.assign(err, { code: err.code ?? 'EIO' }), path);
  const chunks = defer(() => from(isGzipFile(path))).pipe(switchMap((gzip) => readFileChunks(path, { gzip, gate }, fail)));
  return withPause(chunks, { pause: () => gate.pause(), resume: () => gate.resume() });
}
