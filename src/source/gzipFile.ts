/**
 * Compressed rotations (`access.log.2.gz`): told by their magic bytes, not their name, and
 * streamed through zlib into the same line chunks as a plain file, never unpacked to disk.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Observable } from 'rxjs';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';
import { DEFAULT_MAX_LINE_BYTES } from './lineSplitter.js';

/** The two bytes every gzip file starts with (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Whether the regular file at `path` starts with the gzip magic bytes (false for anything unreadable). */
export async function isGzipFile(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    if (!(await handle.stat()).isFile()) return false;
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** The decompressed lines of a gzip file as line chunks (offsets count decompressed bytes). */
export function gunzipChunks(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): Observable<LineChunk> {
  return new Observable<LineChunk>((subscriber) => {
    const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk), 0, maxLineBytes);
    const raw = createReadStream(path);
    const gunzip = createGunzip();
    const fail = (err: Error): void => subscriber.error(Object.assign(new Error(`cannot decompress ${path}: ${err.message}`), { code: (err as NodeJS.ErrnoException).code }));
    raw.once('error', fail);
    gunzip.once('error', fail);
    gunzip.on('data', (bytes: Buffer) => splitter.push(bytes));
    gunzip.once('end', () => {
      splitter.end();
      subscriber.complete();
    });
    raw.pipe(gunzip);
    return () => {
      raw.destroy();
      gunzip.destroy();
    };
  });
}
