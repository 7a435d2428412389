/**
 * Finding a file after rotation: logrotate leaves it (renamed, or copied before a truncation)
 * beside the live one as `<base>.1`, `<base>.2`, `<base>-20240611`... Compressed copies are
 * skipped: their bytes are not the log's.
 */
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { headMatches, readHead, type FileIdentity } from './fileIdentity.js';

const COMPRESSED = /\.(?:gz|bz2|xz|zst|lz4|lzma|Z|zip)$/;

export function isRotatedName(base: string, name: string): boolean {
  if (name.length <= base.length + 1 || !name.startsWith(base)) return false;
  const sep = name[base.length];
  return (sep === '.' || sep === '-') && !COMPRESSED.test(name);
}

export interface RotatedFile {
  readonly handle: FileHandle;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
}

/**
 * Opens the rotated sibling of `path` that holds `identity`'s bytes up to `minSize`: same
 * fingerprint and at least `minSize` bytes, preferring the same device + inode (a renamed
 * file), else the newest (a copy). Files with inode `excludeIno` (the live one) are skipped.
 */
export async function findRotated(
  path: string,
  identity: FileIdentity,
  minSize: number,
  excludeIno?: number,
): Promise<RotatedFile | undefined> {
  const base = basename(path);
  const names = (await readdir(dirname(path)).catch(() => [] as string[])).filter((n) => isRotatedName(base, n));
  let best: (RotatedFile & { mtime: number; same: boolean }) | undefined;
  for (const name of names) {
    const handle = await open(join(dirname(path), name), 'r').catch(() => undefined);
    if (handle === undefined) continue;
    const found = await inspect(handle, identity, minSize, excludeIno).catch(() => undefined);
    const better =
      found !== undefined &&
      (best === undefined || (found.same && !best.same) || (found.same === best.same && found.mtime > best.mtime));
    if (better) {
      await best?.handle.close().catch(() => undefined);
      best = found;
    } else {
      await handle.close().catch(() => undefined);
    }
  }
  return best && { handle: best.handle, dev: best.dev, ino: best.ino, size: best.size };
}

async function inspect(handle: FileHandle, identity: FileIdentity, minSize: number, excludeIno?: number) {
  const st = await handle.stat();
  if (!st.isFile() || st.ino === excludeIno || st.size < minSize) return undefined;
  const same = st.dev === identity.dev && st.ino === identity.ino;
  if (identity.fingerprintBytes === 0 && !same) return undefined;
  if (!headMatches(await readHead(handle, identity.fingerprintBytes), identity)) return undefined;
  return { handle, dev: st.dev, ino: st.ino, size: st.size, mtime: st.mtimeMs, same };
}
