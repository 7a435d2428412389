/**
 * Compressed rotations (`access.log.2.gz`): told by their magic bytes, not their name, and
 * read through zlib into the same line chunks as a plain file (`readFileChunks`), never
 * unpacked to disk.
 */
import { constants, open, type FileHandle } from 'node:fs/promises';
import type { Observable } from 'rxjs';
import { readFileChunks } from './fileChunks.js';
import { DEFAULT_MAX_LINE_BYTES, type LineChunk } from './lineChunk.js';

/** The two bytes every gzip file starts with (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Whether the regular file at `path` starts with the gzip magic bytes (false for anything
 * unreadable). Opened without blocking: a named pipe with no writer would hold the open for ever.
 */
export async function isGzipFile(path: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!(await handle.stat()).isFile()) return false;
    return await hasGzipMagic(handle);
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/**
 * `isGzipFile` for a path a stat found a regular file: an open, a read and a close (opened
 * without blocking all the same: it may have been replaced since).
 */
export async function startsWithGzipMagic(path: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    return await hasGzipMagic(handle);
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

async function hasGzipMagic(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, 2, 0);
  return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/** The decompressed lines of a gzip file as line chunks (offsets count decompressed bytes). */
export function gunzipChunks(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): Observable<LineChunk> {
  return readFileChunks(path, { gzip: true, maxLineBytes }, (err) => err);
}
