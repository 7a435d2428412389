/**
 * A directory's names, listed once for every caller that asks meanwhile: ten thousand
 * followers of one folder each look for their rotated siblings at start, and a `readdir` of
 * ten thousand names each would be quadratic. A caller always gets a listing that started
 * after it asked (one in flight when it asks may predate a rename it must see): it joins the
 * next listing, which starts when the one in flight ends and serves everyone who waited.
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
