/**
 * A log file read once, plain or gzip (told by its first bytes), whose reading can be paused
 * (see src/core/pausable.ts): what `monitorFiles` merges in a replay. Line chunks, as
 * `readLogFile` gives them.
 */
import { finalize, from, switchMap } from 'rxjs';
import { type ReadSlots, replaySlots } from './readSlots.js';
import type { Observable } from 'rxjs';
import { withPause } from '../core/pausable.js';
import { ReadGate } from './chunkReader.js';
import { readFileChunks } from './fileChunks.js';
import { isGzipFile } from './gzipFile.js';
import type { LineChunk } from './lineChunk.js';
import { FileError, toFileError } from '../errors.js';

export function streamedLogFile(path: string, slots: ReadSlots = replaySlots): Observable<LineChunk> {
  const gate = new ReadGate();
  // A FileError with the errno code and the one-line message readLogFile gives.
  const fail = (err: NodeJS.ErrnoException): unknown =>
    toFileError(err instanceof FileError ? err : Object.assign(err, { code: err.code ?? 'EIO' }), path);
  // Opened once a slot is free (a bounded number of files read at once); the slot goes back at the end or when paused.
  let release = (): void => undefined;
  const chunks = slots.take().pipe(
    switchMap((giveBack) => {
      release = giveBack;
      return from(isGzipFile(path));
    }),
    switchMap((gzip) => readFileChunks(path, { gzip, gate }, fail)),
    finalize(() => release()),
  );
  return withPause(chunks, {
    pause: () => {
      gate.pause();
      release();
    },
    resume: () => gate.resume(),
  });
}
