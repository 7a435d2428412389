/**
 * "Something may have changed at this path": fs.watch events on the file's directory (which
 * on Linux include writes to files in it; one watcher per directory, shared: `dirWatch.ts`),
 * for names starting with the file's base name (the
 * file and its rotated siblings), merged with a poll every `pollInterval` ms on the injected
 * scheduler, the fallback for missed events and unwatchable directories (stretched while the
 * watch is open when many files are followed: `watchedPollInterval`; one timer for every
 * follower: `pollClock.ts`). The watch can be closed and opened again on demand (`watching`).
 * `ChangeWatch` is the follower's part, a plain object; `changeSignals` the same as an
 * Observable. A directory that
 * cannot be watched yet is retried at each poll; the same failure is warned about once, not
 * at every poll, until watching works again.
 */
import { basename, dirname } from 'node:path';
import { Observable, type SchedulerLike } from 'rxjs';
import { unwatchDir, watchDir, type DirListener } from './dirWatch.js';
import { pollClockOf, type PollEntry, type Polled } from './pollClock.js';

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

/** Who receives a `ChangeWatch`'s signals and warnings. */
export interface ChangeReceiver {
  signalled(signal: ChangeSignal): void;
  onWarning(message: string): void;
}

/** The watch and poll of one path, signalling `receiver`; `start` it, `stop` it once. */
export class ChangeWatch implements DirListener, Polled {
  readonly base: string;
  private readonly dir: string;
  private isWatched = false;
  private wanted = true;
  private stopped = false;
  private lastFailure: string | undefined;
  private entry: PollEntry | undefined;

  constructor(
    path: string,
    private readonly options: Omit<ChangeSignalOptions, 'watching' | 'onWarning'>,
    private readonly receiver: ChangeReceiver,
  ) {
    this.dir = dirname(path);
    this.base = basename(path);
  }

  start(): void {
    this.ensureWatcher();
    this.entry = pollClockOf(this.options.scheduler).add(this, this.pollInterval());
  }

  /** Opens the watch (at once, synchronously) or closes it. */
  setWatching(wanted: boolean): void {
    this.wanted = wanted;
    if (wanted) this.ensureWatcher();
    else this.unwatch();
  }

  stop(): void {
    this.stopped = true;
    if (this.entry !== undefined) pollClockOf(this.options.scheduler).remove(this.entry);
    this.entry = undefined;
    this.unwatch();
  }

  /** @internal The directory's watch saw a change of a name starting with `base`. */
  change(): void {
    if (!this.stopped) this.receiver.signalled('change');
  }

  /** @internal The watch failed: polled from now on (retried at each poll); a change may have been missed. */
  watchFailed(err: Error): void {
    this.isWatched = false;
    this.failed(`watch ${this.dir}: ${err.message}; polling`);
    if (!this.stopped) this.receiver.signalled('change');
  }

  /** Whether the folder's watch is open now. */
  watched(): boolean {
    return this.isWatched;
  }

  /** @internal */
  poll(): void {
    this.ensureWatcher();
    if (!this.stopped) this.receiver.signalled('poll');
  }

  /** @internal */
  pollInterval(): number {
    const { pollInterval, watchedPollInterval } = this.options;
    return this.isWatched ? Math.max(pollInterval, watchedPollInterval?.() ?? pollInterval) : pollInterval;
  }

  private failed(message: string): void {
    if (message !== this.lastFailure) this.receiver.onWarning(message);
    this.lastFailure = message;
  }

  private unwatch(): void {
    if (!this.isWatched) return;
    this.isWatched = false;
    unwatchDir(this.dir, this);
  }

  private ensureWatcher(): void {
    if (!this.options.watch || !this.wanted || this.isWatched || this.stopped) return;
    try {
      // The directory's one watcher, shared with the other followers of files in it (dirWatch.ts).
      watchDir(this.dir, this);
      this.isWatched = true;
      this.lastFailure = undefined;
    } catch (err) {
      this.failed(`watch ${this.dir}: ${(err as Error).message}; polling`);
    }
  }
}

/** The signals of a `ChangeWatch` on `path`, as an Observable. */
export function changeSignals(path: string, options: ChangeSignalOptions): Observable<ChangeSignal> {
  return new Observable<ChangeSignal>((subscriber) => {
    const watch = new ChangeWatch(path, options, {
      signalled: (signal) => subscriber.next(signal),
      onWarning: (message) => options.onWarning(message),
    });
    const control = options.watching?.subscribe((w) => watch.setWatching(w));
    watch.start();
    return () => {
      control?.unsubscribe();
      watch.stop();
    };
  });
}
