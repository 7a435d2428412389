/**
 * A directory's names, listed once for every caller that asks meanwhile: ten thousand
 * followers of one folder each look for their rotated siblings at start, and a `readdir` of
 * ten thousand names each would be quadratic. A caller always gets a listing that started
 * after it asked (one in flight when it asks may predate a rename it must see): it joins the
 * next listing, which starts when the one in flight ends and serves everyone who waited.
 * A folder quiet for a while (no name added, removed or renamed: its mtime is older than
 * `QUIET_MS` when listed) keeps its last listing, served again while a stat of the folder,
 * started after the caller asked, shows the same mtime and ctime: ten thousand followers
 * starting in a quiet folder share one listing, not hundreds (each one ten thousand strings).
 * `listStartingWith` finds a file's siblings in a listing by binary search in its names,
 * sorted once per listing (filtering ten thousand names for each of ten thousand files
 * would be quadratic too).
 */
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';

interface Listing {
  /** The listing under way. */
  running: Promise<string[]> | undefined;
  /** The next one, for callers that came while one was under way. */
  next: Promise<string[]> | undefined;
}

const listings = new Map<string, Listing>();

/** A folder as a stat taken before listing it showed it: a listing of it holds while a later stat shows the same. */
export interface FolderStamp {
  readonly dev: number;
  readonly ino: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/** A quiet folder's last listing, with the stat taken just before it. */
interface Kept extends FolderStamp {
  readonly names: string[];
}

/**
 * How long a folder's mtime must be in the past (wall clock: the file system's timestamps)
 * for its listing to be kept: a change after the listing then gives it another mtime, even
 * with timestamps as coarse as a second, or a client clock a little ahead of a network
 * file system's.
 */
export const QUIET_MS = 2000;
const MAX_KEPT = 64;
const kept = new Map<string, Kept>();

/** The names in `dir`, as `readdir` gives them (and rejects), from a listing started after this call. */
export function listDir(dir: string): Promise<string[]> {
  let listing = listings.get(dir);
  if (listing === undefined) listings.set(dir, (listing = { running: undefined, next: undefined }));
  const current = listing;
  if (current.running === undefined) return start(dir, current);
  current.next ??= current.running.then(
    () => start(dir, current),
    () => start(dir, current),
  );
  return current.next;
}

function start(dir: string, listing: Listing): Promise<string[]> {
  listing.next = undefined;
  const running = list(dir);
  listing.running = running;
  const done = (): void => {
    if (listing.running !== running) return;
    listing.running = undefined;
    if (listing.next === undefined) listings.delete(dir);
  };
  running.then(done, done);
  return running;
}

/** The names in `dir` now: its kept listing if it has not changed since, else a new one (kept if the folder is quiet). */
async function list(dir: string): Promise<string[]> {
  const before = await stat(dir);
  const last = kept.get(dir);
  if (last !== undefined && sameFolder(last, before)) return last.names;
  kept.delete(dir);
  const names = await readdir(dir);
  const stamp = quietStamp(before);
  if (stamp !== undefined) {
    if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(dir, { names, ...stamp });
  }
  return names;
}

/** The stamp of a folder quiet for `QUIET_MS` (a listing of it may be kept), from a stat taken before the listing; else undefined. */
export function quietStamp(before: Stats): FolderStamp | undefined {
  if (Date.now() - before.mtimeMs < QUIET_MS) return undefined;
  const { dev, ino, mtimeMs, ctimeMs } = before;
  return { dev, ino, mtimeMs, ctimeMs };
}

/** Whether `now`, a stat of the stamped folder, shows it unchanged. */
export function sameFolder(stamp: FolderStamp, now: Stats): boolean {
  return stamp.dev === now.dev && stamp.ino === now.ino && stamp.mtimeMs === now.mtimeMs && stamp.ctimeMs === now.ctimeMs;
}

/** Each listing's names, sorted (by UTF-16 code units: the names starting with a prefix are then contiguous). */
const sortedNames = new WeakMap<string[], string[]>();

/** The names in `dir` that start with `prefix`, sorted, from a listing started after this call (rejects as `listDir`). */
export async function listStartingWith(dir: string, prefix: string): Promise<string[]> {
  const names = await listDir(dir);
  let sorted = sortedNames.get(names);
  if (sorted === undefined) sortedNames.set(names, (sorted = isSorted(names) ? names : [...names].sort()));
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found: string[] = [];
  for (let i = lo; i < sorted.length && (sorted[i] as string).startsWith(prefix); i++) found.push(sorted[i] as string);
  return found;
}

/**
 * Whether `names` are in `sort()`'s order already (libuv lists a folder sorted by bytes, which
 * is that order for names without characters above U+FFFF): one pass instead of a sort of ten
 * thousand names for each listing.
 */
function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if ((names[i - 1] as string) > (names[i] as string)) return false;
  return true;
}
