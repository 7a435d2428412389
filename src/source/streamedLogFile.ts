/**
 * A log file read once as a stream, plain or gzip (told by its first bytes), whose reading
 * can be paused (see src/core/pausable.ts): what `monitorFiles` merges in a replay. Line
 * chunks, as `readLogFile` gives them.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { createGunzip, type Gunzip } from 'node:zlib';
import { Observable } from 'rxjs';
import { withPause } from '../core/pausable.js';
import { isGzipFile } from './gzipFile.js';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';
import { pausableReads, type PausableReads } from './pausableReads.js';

export function streamedLogFile(path: string): Observable<LineChunk> {
  let active: { pause(): void; resume(): void } | undefined;
  let wantPaused = false;
  const chunks = new Observable<LineChunk>((subscriber) => {
    let stopped = false;
    let raw: ReadStream | undefined;
    let gunzip: Gunzip | undefined;
    let reads: PausableReads | undefined;
    const fail = (err: NodeJS.ErrnoException): void => subscriber.error(Object.assign(new Error(gunzip === undefined ? err.message : `cannot decompress ${path}: ${err.message}`), { code: err.code ?? 'EIO' }));
    void isGzipFile(path).then((gzip) => {
      if (stopped) return;
      const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk));
      const end = (): void => {
        splitter.end();
        subscriber.complete();
      };
      if (!gzip) {
        const plain = pausableReads(path, 1 << 20, () => wantPaused, { chunk: (bytes) => splitter.push(bytes), end, error: fail });
        reads = plain;
        active = { pause: () => undefined, resume: () => plain.resume() };
        return;
      }
      raw = createReadStream(path, { highWaterMark: 1 << 20 });
      raw.once('error', fail);
      const stream = raw.pipe((gunzip = createGunzip()));
      gunzip.once('error', fail);
      stream.on('data', (bytes: Buffer) => splitter.push(bytes));
      stream.once('end', end);
      active = { pause: () => stream.pause(), resume: () => stream.resume() };
      if (wantPaused) stream.pause();
    });
    return () => {
      stopped = true;
      active = undefined;
      reads?.stop();
      raw?.destroy();
      gunzip?.destroy();
    };
  });
  return withPause(chunks, {
    pause: () => {
      wantPaused = true;
      active?.pause();
    },
    resume: () => {
      wantPaused = false;
      active?.resume();
    },
  });
}
