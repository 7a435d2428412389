/**
 * "Something may have changed at this path": fs.watch events on the file's directory (which
 * on Linux include writes to files in it), for names starting with the file's base name (the
 * file and its rotated siblings), merged with a poll every `pollInterval` ms on the injected
 * scheduler, the fallback for missed events and unwatchable directories. A directory that
 * cannot be watched yet is retried at each poll; the same failure is warned about once, not
 * at every poll, until watching works again.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Observable, type SchedulerAction, type SchedulerLike } from 'rxjs';

export interface ChangeSignalOptions {
  readonly pollInterval: number;
  /** false: poll only (e.g. network filesystems, where fs.watch sees no remote writes). */
  readonly watch: boolean;
  readonly scheduler: SchedulerLike;
  readonly onWarning: (message: string) => void;
}

export function changeSignals(path: string, options: ChangeSignalOptions): Observable<void> {
  const { pollInterval, scheduler, onWarning, watch: useWatch } = options;
  const dir = dirname(path);
  const base = basename(path);
  return new Observable<void>((subscriber) => {
    let watcher: FSWatcher | undefined;
    let lastFailure: string | undefined;
    const failed = (message: string): void => {
      if (message !== lastFailure) onWarning(message);
      lastFailure = message;
    };
    const unwatch = (): void => {
      watcher?.close();
      watcher = undefined;
    };
    const ensureWatcher = (): void => {
      if (!useWatch || watcher !== undefined || subscriber.closed) return;
      try {
        watcher = watch(dir, { persistent: true }, (_event, name) => {
          if (name === null || String(name).startsWith(base)) subscriber.next();
        });
        lastFailure = undefined;
        watcher.on('error', (err: Error) => {
          failed(`watch ${dir}: ${err.message}; polling`);
          unwatch();
        });
      } catch (err) {
        failed(`watch ${dir}: ${(err as Error).message}; polling`);
      }
    };
    ensureWatcher();
    const poll = scheduler.schedule(function (this: SchedulerAction<void>) {
      ensureWatcher();
      subscriber.next();
      this.schedule(undefined, pollInterval);
    }, pollInterval);
    return () => {
      poll.unsubscribe();
      unwatch();
    };
  });
}
