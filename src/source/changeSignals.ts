/**
 * "Something may have changed at this path": fs.watch events on the file's directory (which
 * on Linux include writes to files in it; one watcher per directory, shared: `dirWatch.ts`),
 * for names starting with the file's base name (the
 * file and its rotated siblings), merged with a poll every `pollInterval` ms on the injected
 * scheduler, the fallback for missed events and unwatchable directories (stretched while the
 * watch is open when many files are followed: `watchedPollInterval`). The watch can be
 * closed and opened again on demand (`watching`). A directory that
 * cannot be watched yet is retried at each poll; the same failure is warned about once, not
 * at every poll, until watching works again.
 */
import { basename, dirname } from 'node:path';
import { Observable, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { watchDir } from './dirWatch.js';

export interface ChangeSignalOptions {
  readonly pollInterval: number;
  /** false: poll only (e.g. network filesystems, where fs.watch sees no remote writes). */
  readonly watch: boolean;
  readonly scheduler: SchedulerLike;
  readonly onWarning: (message: string) => void;
  /**
   * Whether to keep the watch open (default: always): false closes it (a reader that reads
   * every few ms anyway while the file grows needs no event per write, each one a wake-up),
   * true opens it again at once, synchronously, so a change after it is signalled.
   */
  readonly watching?: Observable<boolean>;
  /**
   * The poll's interval while the watch is open (default `pollInterval`): the watch sees the
   * changes, the poll only backs it up, and a process following thousands of files would
   * otherwise spend its time (and libuv's thread pool) on their polls. Asked at each poll.
   */
  readonly watchedPollInterval?: () => number;
}

/** What a signal is: a watch event for the path (`change`), or the periodic poll (`poll`). */
export type ChangeSignal = 'change' | 'poll';

export function changeSignals(path: string, options: ChangeSignalOptions): Observable<ChangeSignal> {
  const { pollInterval, scheduler, onWarning, watch: useWatch } = options;
  const dir = dirname(path);
  const base = basename(path);
  return new Observable<ChangeSignal>((subscriber) => {
    let watcher: (() => void) | undefined;
    let wanted = true;
    let lastFailure: string | undefined;
    const failed = (message: string): void => {
      if (message !== lastFailure) onWarning(message);
      lastFailure = message;
    };
    const unwatch = (): void => {
      watcher?.();
      watcher = undefined;
    };
    const ensureWatcher = (): void => {
      if (!useWatch || !wanted || watcher !== undefined || subscriber.closed) return;
      try {
        // The directory's one watcher, shared with the other followers of files in it (dirWatch.ts).
        watcher = watchDir(
          dir,
          base,
          () => subscriber.next('change'),
          (err: Error) => {
            failed(`watch ${dir}: ${err.message}; polling`);
            unwatch();
          },
        );
        lastFailure = undefined;
      } catch (err) {
        failed(`watch ${dir}: ${(err as Error).message}; polling`);
      }
    };
    const control = options.watching?.subscribe((w) => {
      wanted = w;
      if (w) ensureWatcher();
      else unwatch();
    });
    ensureWatcher();
    const interval = (): number =>
      watcher === undefined ? pollInterval : Math.max(pollInterval, options.watchedPollInterval?.() ?? pollInterval);
    const poll = scheduler.schedule(function (this: SchedulerAction<void>) {
      ensureWatcher();
      subscriber.next('poll');
      this.schedule(undefined, interval());
    }, interval());
    return () => {
      control?.unsubscribe();
      poll.unsubscribe();
      unwatch();
    };
  });
}
