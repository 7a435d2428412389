/**
 * A directory's names, listed once for every caller that asks meanwhile: ten thousand
 * followers of one folder each look for their rotated siblings at start, and a `readdir` of
 * ten thousand names each would be quadratic. A caller always gets a listing that started
 * after it asked (one in flight when it asks may predate a rename it must see): it joins the
 * next listing, which starts when the one in flight ends and serves everyone who waited.
 * `listStartingWith` finds a file's siblings in a listing by binary search in its names,
 * sorted once per listing (filtering ten thousand names for each of ten thousand files
 * would be quadratic too).
 */
import { readdir } from 'node:fs/promises';

interface Listing {
  /** The listing under way. */
  running: Promise<string[]> | undefined;
  /** The next one, for callers that came while one was under way. */
  next: Promise<string[]> | undefined;
}

const listings = new Map<string, Listing>();

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
  const running = readdir(dir);
  listing.running = running;
  const done = (): void => {
    if (listing.running !== running) return;
    listing.running = undefined;
    if (listing.next === undefined) listings.delete(dir);
  };
  running.then(done, done);
  return running;
}

/** Each listing's names, sorted (by UTF-16 code units: the names starting with a prefix are then contiguous). */
const sortedNames = new WeakMap<string[], string[]>();

/** The names in `dir` that start with `prefix`, sorted, from a listing started after this call (rejects as `listDir`). */
export async function listStartingWith(dir: string, prefix: string): Promise<string[]> {
  const names = await listDir(dir);
  let sorted = sortedNames.get(names);
  if (sorted === undefined) sortedNames.set(names, (sorted = [...names].sort()));
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
