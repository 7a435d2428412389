/** Which files a list of paths and globs names: once (replay), or as they appear (follow). */
import { Observable, type SchedulerLike } from 'rxjs';
import { expandGlob, hasGlob } from './glob.js';
import { withoutHistory } from './rotatedHistory.js';
import { FileError } from '../errors.js';

/**
 * Every file the patterns name, in order, each once; a pattern that matches nothing fails.
 * With `history`, a rotated sibling of another file named is left out (it is that file's history).
 */
export async function expandAll(patterns: readonly string[], history = false): Promise<string[]> {
  const seen = new Set<string>();
  for (const pattern of patterns) {
    const paths = await expandGlob(pattern);
    if (paths.length === 0) throw new FileError(`no file matches ${pattern}`, pattern, 'ENOENT');
    for (const path of paths) seen.add(path);
  }
  return history ? withoutHistory([...seen]) : [...seen];
}

/**
 * The paths the patterns name now, then every new one that appears (globs expanded again
 * every `every` ms). A plain path is named from the start, even while it does not exist.
 * `initial`: named by the first scan (there when following started), not created since.
 * With `history`, a rotated sibling of another file named is left out (it is that file's
 * history); one that appears later (a rotation of a followed file, which its tailer has read)
 * is never named, with or without `history`.
 */
export function watchPaths(
  patterns: readonly string[],
  every: number,
  scheduler: SchedulerLike,
  history = false,
): Observable<{ path: string; initial: boolean }> {
  return new Observable<{ path: string; initial: boolean }>((subscriber) => {
    // Plain paths only: named at once, nothing to scan again (a tailer waits for a missing file).
    if (!patterns.some(hasGlob)) {
      const paths = [...new Set(patterns)];
      for (const path of history ? withoutHistory(paths) : paths) subscriber.next({ path, initial: true });
      return undefined;
    }
    const known = new Set<string>();
    let stopped = false;
    let initial = true;
    const scan = async (): Promise<void> => {
      const found: string[] = [];
      for (const pattern of patterns) found.push(...(hasGlob(pattern) ? await expandGlob(pattern) : [pattern]));
      if (stopped) return;
      // Without history, a rotated sibling that appears later (`shop.log.1` after a rotation of a
      // followed `shop.log`) is not named either: the followed file's tailer read its lines.
      const named = history
        ? withoutHistory(found, known)
        : initial
          ? found
          : withoutHistory(
              found.filter((path) => !known.has(path)),
              known,
            );
      for (const path of named) {
        if (known.has(path)) continue;
        known.add(path);
        subscriber.next({ path, initial });
      }
      initial = false;
    };
    const timer = scheduler.schedule(function rescan() {
      void scan().then(
        () => {
          if (!stopped && patterns.some(hasGlob)) this.schedule(undefined, every);
        },
        (err: unknown) => subscriber.error(err),
      );
    });
    return () => {
      stopped = true;
      timer.unsubscribe();
    };
  });
}
