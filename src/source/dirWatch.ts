/**
 * One fs.watch per directory for every follower of a file in it: a follower registers the
 * base name it cares about, and an event for a name starting with it (the file and its rotated
 * siblings) is handed to it. Ten thousand followed files in one folder hold one watcher, and
 * an event costs a look-up per distinct base-name length, not a callback per followed file
 * (with a watcher each, every write to any file woke all ten thousand).
 */
import { watch, type FSWatcher } from 'node:fs';

/** A follower of a file in a watched directory: `change` on each event for a name starting with `base`. */
export interface DirListener {
  readonly base: string;
  change(): void;
  /** The watch failed (it is closed for every listener: register again to retry). */
  watchFailed(err: Error): void;
}
type Listener = DirListener;

interface DirWatch {
  readonly watcher: FSWatcher;
  /** Listeners by base name. */
  readonly byBase: Map<string, Set<Listener>>;
  /** How many listeners have a base name of each length. */
  readonly lengths: Map<number, number>;
  size: number;
}

const dirs = new Map<string, DirWatch>();

/** Directories watched now (one fs.watch each), for specs. */
export function watchedDirs(): number {
  return dirs.size;
}

/**
 * Calls `listener.change` on each event in `dir` for a name starting with `listener.base` (or
 * for no name), and `listener.watchFailed` if the watch fails (it is then closed for every
 * listener: register again to retry). Throws as fs.watch does when the directory cannot be
 * watched. `unwatchDir(dir, listener)` unregisters it.
 */
export function watchDir(dir: string, listener: DirListener): void {
  let entry = dirs.get(dir);
  if (entry === undefined) entry = open(dir);
  const { base } = listener;
  let set = entry.byBase.get(base);
  if (set === undefined) entry.byBase.set(base, (set = new Set()));
  if (set.has(listener)) return;
  set.add(listener);
  entry.lengths.set(base.length, (entry.lengths.get(base.length) ?? 0) + 1);
  entry.size++;
}

/** Unregisters `listener` from `dir`'s watch (nothing if it is not registered: the watch failed meanwhile). */
export function unwatchDir(dir: string, listener: DirListener): void {
  const entry = dirs.get(dir);
  if (entry !== undefined) remove(entry, listener);
}

function open(dir: string): DirWatch {
  const byBase = new Map<string, Set<Listener>>();
  const lengths = new Map<number, number>();
  const watcher = watch(dir, { persistent: true }, (_event, name) => {
    const listeners: Listener[] = [];
    if (name === null) for (const set of byBase.values()) listeners.push(...set);
    else {
      const text = String(name);
      for (const length of lengths.keys()) {
        if (length > text.length) continue;
        const set = byBase.get(text.slice(0, length));
        if (set !== undefined) listeners.push(...set);
      }
    }
    for (const listener of listeners) listener.change();
  });
  const entry: DirWatch = { watcher, byBase, lengths, size: 0 };
  watcher.on('error', (err: Error) => {
    const listeners = [...byBase.values()].flatMap((set) => [...set]);
    close(dir, entry);
    for (const listener of listeners) listener.watchFailed(err);
  });
  dirs.set(dir, entry);
  return entry;
}

function remove(entry: DirWatch, listener: Listener): void {
  const set = entry.byBase.get(listener.base);
  if (set === undefined || !set.delete(listener)) return;
  if (set.size === 0) entry.byBase.delete(listener.base);
  const left = (entry.lengths.get(listener.base.length) ?? 1) - 1;
  if (left === 0) entry.lengths.delete(listener.base.length);
  else entry.lengths.set(listener.base.length, left);
  if (--entry.size === 0) {
    for (const [dir, watched] of dirs) if (watched === entry) close(dir, entry);
  }
}

function close(dir: string, entry: DirWatch): void {
  if (dirs.get(dir) === entry) dirs.delete(dir);
  entry.byBase.clear();
  entry.lengths.clear();
  entry.size = 0;
  entry.watcher.close();
}
