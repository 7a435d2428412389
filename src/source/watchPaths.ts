/** Which files a list of paths and globs names: once (replay), or as they appear (follow). */
import { Observable, type SchedulerLike } from 'rxjs';
import { expandGlob, hasGlob } from './glob.js';

/** Every file the patterns name, in order, each once; a pattern that matches nothing fails. */
export async function expandAll(patterns: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  for (const pattern of patterns) {
    const paths = await expandGlob(pattern);
    if (paths.length === 0) throw Object.assign(new Error(`no file matches ${pattern}`), { code: 'ENOENT' });
    for (const path of paths) seen.add(path);
  }
  return [...seen];
}

/**
 * The paths the patterns name now, then every new one that appears (globs expanded again
 * every `every` ms). A plain path is named from the start, even while it does not exist.
 * `initial`: named by the first scan (there when following started), not created since.
 */
export function watchPaths(patterns: readonly string[], every: number, scheduler: SchedulerLike): Observable<{ path: string; initial: boolean }> {
  return new Observable<{ path: string; initial: boolean }>((subscriber) => {
    // Plain paths only: named at once, nothing to scan again (a tailer waits for a missing file).
    if (!patterns.some(hasGlob)) {
      for (const path of new Set(patterns)) subscriber.next({ path, initial: true });
      return undefined;
    }
    const known = new Set<string>();
    let stopped = false;
    let initial = true;
    const scan = async (): Promise<void> => {
      const found: string[] = [];
      for (const pattern of patterns) found.push(...(hasGlob(pattern) ? await expandGlob(pattern) : [pattern]));
      if (stopped) return;
      for (const path of found) {
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
