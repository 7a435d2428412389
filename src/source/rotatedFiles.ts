/**
 * Finding files after rotation: logrotate leaves them (renamed, or copied before a
 * truncation) beside the live one as `<base>.1`, `<base>.2`... or, with `dateext`,
 * `<base>-20240611`. Other names (`.gz` copies, `<base>.bak`) are not rotated logs.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { listStartingWith } from './dirListing.js';
import { basename, dirname, join } from 'node:path';
import { headMatches, readHead, type FileIdentity } from './fileIdentity.js';

const SUFFIX = /^(?:\.\d+|-[\w-]+)$/;

export function isRotatedName(base: string, name: string): boolean {
  return name.startsWith(base) && SUFFIX.test(name.slice(base.length));
}

export interface RotatedFile {
  readonly handle: FileHandle;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** `dev:ino`, to keep sets of files already seen. */
export const fileKey = (file: { readonly dev: number; readonly ino: number }): string => `${file.dev}:${file.ino}`;

/** Opens every rotated sibling of `path` that `accept` keeps; the others are closed. */
async function openRotated(path: string, accept: (file: RotatedFile) => Promise<boolean>): Promise<RotatedFile[]> {
  const base = basename(path);
  const names = (await listStartingWith(dirname(path), base).catch(() => [] as string[])).filter((n) => isRotatedName(base, n));
  const kept: RotatedFile[] = [];
  for (const name of names) {
    const handle = await open(join(dirname(path), name), 'r').catch(() => undefined);
    if (handle === undefined) continue;
    const file = await handle
      .stat()
      .then((st) => (st.isFile() ? { handle, dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs } : undefined))
      .catch(() => undefined);
    if (file !== undefined && (await accept(file).catch(() => false))) kept.push(file);
    else await handle.close().catch(() => undefined);
  }
  return kept;
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
  const same = (f: RotatedFile): boolean => f.dev === identity.dev && f.ino === identity.ino;
  const found = await openRotated(path, async (f) => {
    if (f.ino === excludeIno || f.size < minSize || (identity.fingerprintBytes === 0 && !same(f))) return false;
    return headMatches(await readHead(f.handle, identity.fingerprintBytes), identity);
  });
  found.sort((a, b) => Number(same(b)) - Number(same(a)) || b.mtimeMs - a.mtimeMs);
  for (const other of found.slice(1)) await other.handle.close().catch(() => undefined);
  return found[0];
}

/**
 * Opens the rotated siblings of `path` modified at or after `sinceMs` whose `fileKey` is not
 * in `known`, oldest first: whole generations rotated away before they were seen (several
 * rotations while not looking, e.g. while stopped between a checkpoint and a restart).
 */
export async function findNewerRotated(path: string, sinceMs: number, known: ReadonlySet<string>): Promise<RotatedFile[]> {
  const found = await openRotated(path, async (f) => f.mtimeMs >= sinceMs && !known.has(fileKey(f)));
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs);
}

/** The `fileKey`s of the rotated siblings there now. */
export async function rotatedKeys(path: string): Promise<string[]> {
  const files = await openRotated(path, async () => true);
  await Promise.all(files.map((f) => f.handle.close().catch(() => undefined)));
  return files.map(fileKey);
}
