/**
 * A log file read once as a stream, plain or gzip (told by its first bytes), whose reading
 * can be paused (see src/core/pausable.ts): what `monitorFiles` merges in a replay. Its line
 * chunks are its batch view (src/core/batches.ts), as `readLogFile`'s are.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { createGunzip, type Gunzip } from 'node:zlib';
import { Observable } from 'rxjs';
import { withPause } from '../core/pausable.js';
import { isGzipFile } from './gzipFile.js';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';
import { lineSource } from './chunkLines.js';

export function streamedLogFile(path: string): Observable<string> {
  let active: { stream: ReadStream | Gunzip; paused: boolean } | undefined;
  let wantPaused = false;
  const chunks = new Observable<LineChunk>((subscriber) => {
    let stopped = false;
    let raw: ReadStream | undefined;
    let gunzip: Gunzip | undefined;
    const fail = (err: NodeJS.ErrnoException): void => subscriber.error(Object.assign(new Error(gunzip === undefined ? err.message : `cannot decompress ${path}: ${err.message}`), { code: err.code ?? 'EIO' }));
    void isGzipFile(path).then((gzip) => {
      if (stopped) return;
      const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk));
      raw = createReadStream(path, { highWaterMark: 1 << 20 });
      raw.once('error', fail);
      const stream = gzip ? raw.pipe((gunzip = createGunzip())) : raw;
      gunzip?.once('error', fail);
      stream.on('data', (bytes: Buffer | string) => splitter.push(typeof bytes === 'string' ? Buffer.from(bytes) : bytes));
      stream.once('end', () => {
        splitter.end();
        subscriber.complete();
      });
      active = { stream, paused: false };
      if (wantPaused) stream.pause();
    });
    return () => {
      stopped = true;
      active = undefined;
      raw?.destroy();
      gunzip?.destroy();
    };
  });
  return withPause(lineSource(chunks), {
    pause: () => {
      wantPaused = true;
      active?.stream.pause();
    },
    resume: () => {
      wantPaused = false;
      active?.stream.resume();
    },
  });
}
