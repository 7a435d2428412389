/**
 * One followed file of `monitorFiles` as one small Observable of record batches: its check
 * (`followedKind`: a directory, a missing folder, a gzip file followed alone are refused; a gzip
 * file in a glob is read once), its rotated history first when asked, then its tailer, each chunk
 * parsed with the run's shared parsers, and its caught-up channel (src/core/caughtUp.ts) for the
 * merge. Ten thousand files followed at once each hold this, their tailer and their place in
 * the merge between reads: no chain of operators, subjects and subscribers per file.
 */
import { Observable, type Observer, type Subscriber, type Subscription } from 'rxjs';
import { withCaughtUp } from '../../core/caughtUp.js';
import type { SharedParsers } from '../../parse/sharedParsers.js';
import type { RecordBatch } from '../../parse/recordBatch.js';
import type { FilePosition } from '../../source/fileIdentity.js';
import type { TailBytes } from '../../source/fileCursor.js';
import { followedKind } from '../../source/followCheck.js';
import { historySource } from '../../source/fileSources.js';
import type { LineChunk } from '../../source/lineChunk.js';
import { readAnyLogFile } from '../../source/readAnyLogFile.js';
import { tailBytes, type TailFileOptions } from '../../source/tailFile.js';
import type { FollowReader } from './filesProgress.js';

/** What every followed file of a run shares. */
export interface FollowRunSettings {
  readonly parsers: SharedParsers;
  /** One file named (no glob): a gzip file is refused, not read once. */
  readonly only: boolean;
  /** The tailers' options (per file, `fromEnd`, `startPosition` and `onCaughtUp` are added). */
  readonly tail: TailFileOptions;
  /** After each chunk went downstream: the position after it, and the path. */
  readonly onRead: ((position: FilePosition, path: string) => void) | undefined;
  /** Once per file: its tailer caught up for the first time, or it ended (read once, failed, stopped). */
  readonly onStarted: () => void;
  /** Files being read now; `stop()` ends each, and every file that starts after it. */
  readonly stopping: FollowStop | undefined;
}

/** What a followed file is asked for besides its path. */
export interface FollowedFileOptions {
  /** Read from its end (a file there at the start, with `fromEnd`). */
  readonly fromEnd: boolean;
  /** Its rotated siblings first, oldest first. */
  readonly history: boolean;
  /** With a checkpoint: where it starts, and which lines of each chunk count (no gzip check then: tailed as it is). */
  readonly reader: FollowReader | undefined;
  /** With a checkpoint, after its history was read. */
  readonly onHistoryRead?: (() => void) | undefined;
}

/** The followed file `path` (see the file's comment). */
export function followedFile(path: string, options: FollowedFileOptions, settings: FollowRunSettings): Observable<RecordBatch> {
  const channel = new CaughtUpChannel();
  const reading = new Observable<RecordBatch>((subscriber) => new FollowedRun(path, options, settings, subscriber, channel));
  return withCaughtUp(reading, channel.caughtUp);
}

/** Each step of a file's tailer that found nothing more (the merge counts the file idle only after one). */
class CaughtUpChannel {
  /** Its subscribers: one (the merge's), seldom more. */
  private watchers: Subscriber<number | undefined> | Subscriber<number | undefined>[] | undefined;
  readonly caughtUp = new Observable<number | undefined>((subscriber) => {
    const { watchers } = this;
    this.watchers = watchers === undefined ? subscriber : Array.isArray(watchers) ? [...watchers, subscriber] : [watchers, subscriber];
    return () => {
      const now = this.watchers;
      this.watchers = now === subscriber ? undefined : Array.isArray(now) ? now.filter((s) => s !== subscriber) : now;
    };
  });

  next(asOf: number): void {
    const { watchers } = this;
    if (watchers === undefined) return;
    if (!Array.isArray(watchers)) watchers.next(asOf);
    else for (const watcher of watchers) watcher.next(asOf);
  }
}

/**
 * Ends the followed files of a run at once when `stop` emits (`monitorFiles`'s `stop` without a
 * checkpoint): one subscription to it for them all, made when the first file starts.
 */
export class FollowStop {
  private stopped = false;
  private watch: Subscription | undefined;
  private readonly live = new Set<FollowedRun>();

  constructor(private readonly stop: Observable<unknown>) {}

  /** `run` started: whether it is to end at once (`stop` emitted already). */
  join(run: FollowedRun): boolean {
    this.watch ??= this.stop.subscribe(() => {
      this.stopped = true;
      for (const live of [...this.live]) live.end();
    });
    if (this.stopped) return true;
    this.live.add(run);
    return false;
  }

  leave(run: FollowedRun): void {
    this.live.delete(run);
  }

  /** The run ended. */
  close(): void {
    this.watch?.unsubscribe();
  }
}

/** One subscription of a followed file (exported for `FollowStop`'s types): the observer of its check, its history and its tailer, and its teardown. */
export class FollowedRun {
  private inner: Subscription | undefined;
  private closed = false;
  private started = false;
  /** Reading the history (its chunks have no position). */
  private history: boolean;
  private readonly emit = (batch: RecordBatch): void => {
    const origin = this.options.reader?.origin;
    if (origin !== undefined) batch.origin = origin;
    this.subscriber.next(batch);
  };

  constructor(
    private readonly path: string,
    private readonly options: FollowedFileOptions,
    private readonly settings: FollowRunSettings,
    private readonly subscriber: Subscriber<RecordBatch>,
    private readonly caughtUp: CaughtUpChannel,
  ) {
    this.history = options.history;
    if (settings.stopping?.join(this) === true) {
      this.end();
      return;
    }
    const { reader } = options;
    followedKind(path, settings.only, reader === undefined).then(
      (kind) => {
        if (this.closed) return;
        if (this.history) this.inner = historySource(path).subscribe(this.chunks(true, kind === 'gzip'));
        else this.live(kind === 'gzip');
      },
      (err: unknown) => this.error(err),
    );
  }

  /** Ends it as a completed source (stopped). */
  end(): void {
    if (this.closed) return;
    this.subscriber.complete();
  }

  private live(gzip: boolean): void {
    if (this.closed) return;
    const { reader } = this.options;
    // A compressed file never grows: it is read once and completes.
    if (gzip) {
      this.inner = readAnyLogFile(this.path).subscribe(this.chunks(false, false));
      return;
    }
    const tail: TailFileOptions = {
      ...this.settings.tail,
      onCaughtUp: (asOf) => this.onCaughtUp(asOf),
      ...(this.options.fromEnd ? { fromEnd: true } : {}),
      ...(reader?.startPosition === undefined ? {} : { startPosition: reader.startPosition }),
    };
    this.inner = tailBytes(this.path, tail).subscribe(this);
  }

  /** The observer of chunks read once (its history, a gzip file); `thenLive`: the tailer follows. */
  private chunks(thenLive: boolean, gzip: boolean): Partial<Observer<LineChunk>> {
    return {
      next: (view) => this.settings.parsers.parse(view, this.emit),
      error: (err: unknown) => this.error(err),
      complete: () => {
        if (!thenLive) {
          this.subscriber.complete();
          return;
        }
        this.history = false;
        this.options.onHistoryRead?.();
        this.live(gzip);
      },
    };
  }

  /** A chunk of its tailer. */
  next(chunk: TailBytes): void {
    const { reader } = this.options;
    if (reader === undefined) this.settings.parsers.parse(chunk.view, this.emit);
    else reader.lines(chunk, (view) => this.settings.parsers.parse(view, this.emit));
    this.settings.onRead?.(chunk.position, this.path);
  }

  private onCaughtUp(asOf: number): void {
    this.start();
    this.caughtUp.next(asOf);
  }

  /** Its tailer failed (it does not: it reports trouble and retries), or its check or a read once. */
  error(err: unknown): void {
    if (!this.closed) this.subscriber.error(err);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.settings.onStarted();
  }

  /** Its teardown (the subscription ended: completed, failed, or unsubscribed). */
  unsubscribe(): void {
    if (this.closed) return;
    this.closed = true;
    this.inner?.unsubscribe();
    this.inner = undefined;
    this.settings.stopping?.leave(this);
    if (this.history) this.options.onHistoryRead?.();
    this.start();
  }
}
