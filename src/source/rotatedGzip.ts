/**
 * Compressed rotated siblings (`<base>.2.gz`, `<base>-20240611.gz`) when resuming: with
 * `compress` + `delaycompress`, a second rotation while stopped compresses the file a saved
 * position points into (a new inode). It is found by the first bytes of its decompressed
 * content (only the head is decompressed to compare) and its rest is read once, as a stream,
 * from the saved offset: a gzip file does not change. Its lines carry the positions the saved
 * file's reader would have given (its device + inode, the fingerprint of its first bytes,
 * offsets in decompressed bytes = the original's), so a position saved while reading it finds
 * it again after another crash, by the same fingerprint.
 */
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TailBytes } from './fileCursor.js';
import { fingerprintOf, headMatches, type FileIdentity } from './fileIdentity.js';
import { ChunkSplitter } from './lineChunk.js';
import { fileKey, isRotatedName } from './rotatedFiles.js';

export interface RotatedGzip {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
}

/** `<base>.N.gz` or `<base>-<date>.gz`: a rotated sibling, compressed. */
export function isRotatedGzipName(base: string, name: string): boolean {
  return name.endsWith('.gz') && isRotatedName(base, name.slice(0, -3));
}

/** The compressed rotated siblings of `path` (regular files), unordered. */
async function gzipSiblings(path: string): Promise<RotatedGzip[]> {
  const base = basename(path);
  const names = (await readdir(dirname(path)).catch(() => [] as string[])).filter((n) => isRotatedGzipName(base, n));
  const found: RotatedGzip[] = [];
  for (const name of names) {
    const file = join(dirname(path), name);
    const st = await stat(file).catch(() => undefined);
    if (st?.isFile() === true) found.push({ path: file, dev: st.dev, ino: st.ino, mtimeMs: st.mtimeMs });
  }
  return found;
}

/** The decompressed stream of an open gzip file, from its first byte (the handle stays open). */
function gunzipStream(handle: FileHandle): AsyncIterable<Buffer> & { destroy(): void } {
  const zlib = process.getBuiltinModule<'node:zlib'>('node:zlib');
  return handle.createReadStream({ start: 0, autoClose: false }).pipe(zlib.createGunzip({ chunkSize: 1 << 18 }));
}

/** The first up-to-`bytes` decompressed bytes (only as much as needed is decompressed). */
export async function gzipHead(handle: FileHandle, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  const stream = gunzipStream(handle);
  try {
    for await (const part of stream) {
      parts.push(part);
      length += part.length;
      if (length >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/**
 * The compressed rotated sibling of `path` whose decompressed first bytes match `identity`
 * (the same device + inode preferred, else the newest); undefined if none.
 */
export async function findRotatedGzip(path: string, identity: FileIdentity): Promise<RotatedGzip | undefined> {
  const same = (f: RotatedGzip): boolean => f.dev === identity.dev && f.ino === identity.ino;
  const found: RotatedGzip[] = [];
  for (const file of await gzipSiblings(path)) {
    const handle = await open(file.path, 'r').catch(() => undefined);
    if (handle === undefined) continue;
    const head = await gzipHead(handle, identity.fingerprintBytes)
      .catch(() => Buffer.alloc(0))
      .finally(() => handle.close().catch(() => undefined));
    if (headMatches(head, identity) && (identity.fingerprintBytes > 0 || same(file))) found.push(file);
  }
  found.sort((a, b) => Number(same(b)) - Number(same(a)) || b.mtimeMs - a.mtimeMs);
  return found[0];
}

/**
 * The compressed rotated siblings of `path` modified at or after `sinceMs` other than `except`
 * and not in `known`, oldest first: whole generations rotated and compressed while stopped.
 */
export async function findNewerRotatedGzip(
  path: string,
  sinceMs: number,
  except: RotatedGzip,
  known: ReadonlySet<string>,
): Promise<RotatedGzip[]> {
  const files = await gzipSiblings(path);
  return files
    .filter((f) => f.mtimeMs >= sinceMs && fileKey(f) !== fileKey(except) && !known.has(fileKey(f)))
    .sort((a, b) => a.mtimeMs - b.mtimeMs);
}

export interface GzipRestOptions {
  readonly fingerprintBytes: number;
  readonly maxLineBytes: number;
  readonly emit: (chunk: TailBytes) => void;
  readonly stopped: () => boolean;
}

/**
 * Emits the lines of `file`'s decompressed content after decompressed offset `offset` (a
 * line end), with positions in it; the last line, if unterminated, too. 'short': the content
 * ends before `offset` (not the file the position was saved in); 'stopped': left early.
 * `as`: the device + inode the positions name (the saved file's: its lines' positions are those
 * its reader would have given before it was compressed, so a checkpoint's positions in it
 * still compare equal); by default the .gz file's own.
 */
export async function readGzipRest(
  file: RotatedGzip,
  offset: number,
  options: GzipRestOptions,
  as: { readonly dev: number; readonly ino: number } = file,
): Promise<'eof' | 'short' | 'stopped'> {
  const handle = await open(file.path, 'r');
  let head = Buffer.alloc(0);
  let skip = offset;
  let position: Omit<TailBytes['position'], 'offset'> | undefined;
  const splitter = new ChunkSplitter(
    (view, start) =>
      options.emit({
        view,
        start,
        position: { ...(position as NonNullable<typeof position>), offset: view.offsets[view.count - 1] as number },
      }),
    offset,
    options.maxLineBytes,
  );
  const stream = gunzipStream(handle);
  try {
    for await (const part of stream) {
      if (options.stopped()) return 'stopped';
      if (position === undefined) {
        head = Buffer.concat([head, part.subarray(0, options.fingerprintBytes - head.length)]);
        if (head.length >= options.fingerprintBytes) position = identityOf(as, head);
      }
      if (skip >= part.length) {
        skip -= part.length;
        continue;
      }
      position ??= identityOf(as, head); // shorter than fingerprintBytes so far: pushed once the head is known
      splitter.push(skip > 0 ? part.subarray(skip) : part);
      skip = 0;
    }
    if (skip > 0) return 'short';
    position ??= identityOf(as, head);
    splitter.end();
    return 'eof';
  } finally {
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
}

function identityOf(file: { readonly dev: number; readonly ino: number }, head: Buffer): FileIdentity {
  return { dev: file.dev, ino: file.ino, fingerprint: fingerprintOf(head), fingerprintBytes: head.length };
}
