/**
 * Following a file like `tail -F`, losing and repeating nothing across rotation (rename +
 * create, copytruncate, truncation, delete + recreate) while a writer keeps appending.
 *
 * A step (`fileFollower.ts`, `follower.ts`) runs at subscription, on fs.watch events in the
 * file's directory, and every `pollInterval` ms on the scheduler; steps never overlap and
 * start at most every `wakeInterval` ms (`stepPacer.ts`: signals meanwhile coalesce into one
 * step, run that long after the last one started; an isolated change is read at once). While
 * changes come faster than that, the watch is closed and a step runs every `wakeInterval` ms
 * until one finds nothing new (no event per write()). The reader stays within a few ms of the
 * writer, which bounds the lines an in-place truncation can take before they are read. Each read is at most `chunkSize` bytes; the next one runs while its
 * lines are emitted (two buffers), and is checked for truncation before its own lines go out.
 * Unsubscribing closes the watcher,
 * the timer and every file handle.
 */
import { Observable, asyncScheduler, map, type SchedulerLike, type Subscriber } from 'rxjs';
import type { TailBytes, TailChunk } from './fileCursor.js';
import { DEFAULT_MAX_LINE_BYTES } from './lineChunk.js';
import { DEFAULT_CHUNK_SIZE } from './chunkReader.js';
import { linesOfChunks } from './chunkLines.js';
import { DEFAULT_FINGERPRINT_BYTES, type FilePosition } from './fileIdentity.js';
import { ChangeWatch, type ChangeReceiver, type ChangeSignal } from './changeSignals.js';
import { StepPacer, type PacedSteps } from './stepPacer.js';
import { quietSweepOf, type Swept } from './quietSweep.js';
import type { StartAt } from './followStart.js';
import { fileFollower, type FileFollower, type FileFollowerSettings } from './fileFollower.js';

/** Where `tailLogFile` starts, how it notices changes, and its limits. */
export interface TailLogFileOptions {
  /** Byte offset to start at in the file present at subscription; default 0. */
  readonly startOffset?: number;
  /** Start after the last complete line of the file present at subscription. */
  readonly fromEnd?: boolean;
  /** Poll period in ms, the fallback to fs.watch; default 250 (longer while watched when over 25 files are followed: `WATCHED_POLLS_PER_SECOND`). */
  readonly pollInterval?: number;
  /**
   * Least ms between two reads (default 5): change events meanwhile coalesce into the next
   * read, so a server writing one line per write() costs one wake-up per `wakeInterval`, not
   * one per write. An isolated change is read at once. 0: a read per change, one at a time
   * (a change during a read: one more read right after it).
   */
  readonly wakeInterval?: number;
  /** Watch the directory with fs.watch (default true); false polls only. */
  readonly watch?: boolean;
  /** A rotated-away file is read until it has not grown for this many ms; default 2000. */
  readonly rotateGrace?: number;
  /** Bytes per read; default 1 MiB. */
  readonly chunkSize?: number;
  /** Longer lines are flagged overlong (read as `OVERLONG_LINE`); default 65536. */
  readonly maxLineBytes?: number;
  /** Bytes of the file's start that identify it besides its inode; default 256. */
  readonly fingerprintBytes?: number;
  /** Times the poll and the grace period; default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Trouble that does not end the stream (unreadable file, truncation...). */
  readonly onWarning?: (message: string) => void;
}

/** `TailLogFileOptions`, and what the file engine sets: a saved position, the behind check. */
export interface TailFileOptions extends TailLogFileOptions {
  /** A saved `chunk.position` to resume from (wins over `fromEnd` and `startOffset`). */
  readonly startPosition?: FilePosition;
  /**
   * Receives, at subscription, `behind()`: whether bytes are waiting that this tailer has not
   * read yet and it is getting to them (a read is under way or the file grew; one synchronous
   * stat), which also starts reading them at once. It answers false once a chunk has not come
   * between two calls that answered true (a reader that makes no progress is not waited for).
   * Follow mode asks it before letting idle time close windows: a reader descheduled for
   * longer than the idle timeout reads what piled up first.
   */
  readonly onBehindCheck?: (behind: () => boolean) => void;
  /**
   * Called each time a step has read everything there was when it started and no change came
   * meanwhile (every poll of a quiet file): the tailer has caught up as of `asOf`, the
   * scheduler's time when that step started (`mergeByTime` lets a quiet file stop holding the
   * others only once its tailer caught up after its idle timeout; a step that began before the
   * process was stopped says so for then, not for after).
   */
  readonly onCaughtUp?: (asOf: number) => void;
  /**
   * With `onCaughtUp` and the folder watched: a quiet file (caught up, no change heard since)
   * is also said to be caught up every this many ms or so, without a read (`quietSweep.ts`: as of
   * the sweep before, once the watch's events of before it have been read). Default 1000.
   */
  readonly caughtUpEvery?: number;
}

/** Least ms between two of a tailer's reads by default (see `TailFileOptions.wakeInterval`). */
export const DEFAULT_WAKE_INTERVAL = 5;

/**
 * Polls a second, at most, of all the watched files the process follows: a watched file's
 * poll (a fallback: the watch sees its changes, and a quiet file says it caught up at each
 * sweep without one, `quietSweep.ts`) comes every `pollInterval` ms, or every
 * `followed / WATCHED_POLLS_PER_SECOND` s when more files are followed (10,000 files: every
 * 100 s, not 40,000 stats a second).
 */
export const WATCHED_POLLS_PER_SECOND = 100;
/** Files the process follows now (their tailers subscribed). */
let followed = 0;
const watchedPollInterval = (): number => (followed * 1000) / WATCHED_POLLS_PER_SECOND;

/**
 * The lines of a file as it grows, in chunks carrying the position after their last line.
 * Never completes and never errors: a missing file is waited for, fs trouble is reported to
 * `onWarning` and retried.
 *
 * ```
 * file:    a\nb\n  c\n   (rotated)  d\n
 * output:  [a,b]---[c]----------------[d]--   (one chunk per read, of at most CHUNK_LINES lines)
 * ```
 *
 * @param path The file to follow (its directory is watched).
 * @param options Where to start, timing, limits, the scheduler and a warning callback.
 * @returns Chunks of complete lines: `lines`, `overlong` indices, per-line `ends`, `start`,
 *   and `position` (file identity + offset after the last line) for checkpoints.
 */
export function tailFile(path: string, options: TailFileOptions = {}): Observable<TailChunk> {
  return tailBytes(path, options).pipe(map(textOf));
}

/** A `TailBytes` chunk's lines as strings (`LineChunk.text`: an overlong one as `OVERLONG_LINE`). */
function textOf({ view, start, position }: TailBytes): TailChunk {
  const lines: string[] = [];
  const overlong: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < view.count; i++) {
    lines.push(view.text(i));
    if (view.overlong[i] === 1) overlong.push(i);
    ends.push(view.offsets[i] as number);
  }
  return { lines, overlong, ends, start, position };
}

/**
 * The tailer itself: the lines as byte ranges (`TailBytes`, lent views: valid during `next`
 * only), for the engine's batch path; `tailFile` gives the same lines, offsets and positions
 * as strings.
 */
export function tailBytes(path: string, options: TailFileOptions = {}): Observable<TailBytes> {
  return new Observable<TailBytes>((subscriber) => {
    const tailer = new Tailer(path, options, subscriber);
    tailer.run();
    return () => tailer.stop();
  });
}

/**
 * One subscription of `tailBytes`: its follower, pacer and change watch, in fields, with
 * methods for their callbacks (a process following ten thousand files holds ten thousand).
 */
class Tailer implements FileFollowerSettings, PacedSteps, ChangeReceiver, Swept {
  readonly start: StartAt;
  readonly rotateGrace: number;
  readonly chunkSize: number;
  readonly maxLineBytes: number;
  readonly fingerprintBytes: number;
  private readonly scheduler: SchedulerLike;
  private readonly wakeInterval: number;
  private readonly follower: FileFollower;
  private readonly pacer: StepPacer;
  private readonly changes: ChangeWatch;
  /** A chunk came since `behind()` last answered true. */
  private progressed = true;
  /** A chunk came since the last step ended. */
  private grew = false;
  /** Whether the directory is watched: not while changes come faster than the wake interval. */
  private watching = true;
  /** When the step under way started: what it read is all there was then, not later. */
  private stepStart = 0;
  /**
   * When the last step that caught up started, while watched, if no change was heard since
   * and the watch stayed open: nothing to read as of any time after it, up to the last time
   * the watch's events were read (see `sweep`).
   */
  private quietSince: number | undefined;
  /** Registered with the scheduler's quiet sweep. */
  private readonly swept: boolean;
  readonly stopped: () => boolean;
  readonly emit: (chunk: TailBytes) => void;

  constructor(
    private readonly path: string,
    private readonly options: TailFileOptions,
    private readonly subscriber: Subscriber<TailBytes>,
  ) {
    const { pollInterval = 250, rotateGrace = 2000, chunkSize = DEFAULT_CHUNK_SIZE, wakeInterval = DEFAULT_WAKE_INTERVAL } = options;
    const { maxLineBytes = DEFAULT_MAX_LINE_BYTES, fingerprintBytes = DEFAULT_FINGERPRINT_BYTES } = options;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.start = startOf(options);
    this.rotateGrace = rotateGrace;
    this.chunkSize = chunkSize;
    this.maxLineBytes = maxLineBytes;
    this.fingerprintBytes = fingerprintBytes;
    this.wakeInterval = wakeInterval;
    this.stopped = () => subscriber.closed;
    this.emit = (chunk) => {
      this.progressed = true;
      this.grew = true;
      subscriber.next(chunk);
    };
    this.follower = fileFollower(path, this);
    this.pacer = new StepPacer(this, wakeInterval, this.scheduler);
    const watch = options.watch ?? true;
    this.changes = new ChangeWatch(path, { pollInterval, scheduler: this.scheduler, watch, watchedPollInterval }, this);
    this.swept = watch && options.onCaughtUp !== undefined;
  }

  run(): void {
    followed++;
    this.changes.start();
    this.pacer.signal();
    this.options.onBehindCheck?.(() => this.behind());
    if (this.swept) quietSweepOf(this.scheduler).add(this, this.options.caughtUpEvery ?? 1000);
  }

  stop(): void {
    followed--;
    if (this.swept) quietSweepOf(this.scheduler).remove(this);
    this.changes.stop();
    this.pacer.stop();
    if (!this.pacer.running()) void this.follower.close();
  }

  now(): number {
    return this.scheduler.now();
  }

  onWarning(message: string): void {
    this.options.onWarning?.(message);
  }

  step(): Promise<void> {
    this.stepStart = this.scheduler.now();
    this.quietSince = undefined;
    return this.follower.step();
  }

  stepFailed(err: unknown): void {
    this.onWarning(`${this.path}: ${(err as Error).message}`);
  }

  stepDone(stopped: boolean, pending: boolean): void {
    if (stopped) return void this.follower.close();
    // Caught up: the step read what there was and no change came meanwhile (unwatched: it
    // found nothing new).
    if (this.watching) {
      if (pending) return;
      if (this.changes.watched()) this.quietSince = this.stepStart;
      this.options.onCaughtUp?.(this.stepStart);
      return;
    }
    if (!this.grew) this.options.onCaughtUp?.(this.stepStart);
    // Unwatched: read again after the wake interval while the file grows; once a step finds
    // nothing new, watch again, then read once more (what came before the watch was open).
    if (!this.grew) this.setWatching(true);
    this.grew = false;
    this.pacer.signal();
  }

  signalled(signal: ChangeSignal): void {
    // A change while a step runs or waits: changes come faster than the wake interval; the
    // steps go on every wake interval without an event per write until the file is quiet.
    // Not a poll: a step waiting its turn (ten thousand followers starting) is not a busy
    // file, and unwatched it would be polled every `pollInterval`, not every few seconds.
    if (signal === 'change') this.quietSince = undefined;
    if (signal === 'change' && this.wakeInterval > 0 && this.pacer.busy() && this.watching) this.setWatching(false);
    this.pacer.signal();
  }

  /**
   * A sweep (`quietSweep.ts`): caught up as of the sweep before (`asOf`) if the last step that
   * caught up began by then and nothing was heard since, the watch open all along: a change
   * before `asOf` would have been heard by now.
   */
  sweep(asOf: number): void {
    if (this.quietAsOf(asOf)) this.options.onCaughtUp?.(asOf);
  }

  /** See `TailFileOptions.onBehindCheck`. */
  private behind(): boolean {
    if (this.subscriber.closed || !(this.pacer.running() || (!this.quietNow() && this.follower.hasUnread()))) {
      this.progressed = true;
      return false;
    }
    // Nothing came since the last time it was behind: it is stuck, not behind.
    if (!this.progressed) return false;
    this.progressed = false;
    this.pacer.signal();
    return true;
  }

  /**
   * Caught up, nothing heard since, the watch open, and the sweeps on time: nothing to read now
   * without a `stat` (ten thousand quiet files: ten thousand stats each time idle time is asked).
   */
  private quietNow(): boolean {
    const now = this.scheduler.now();
    return this.swept && this.quietAsOf(now) && quietSweepOf(this.scheduler).onTime(now);
  }

  /** The last step that caught up began by `t`, nothing was heard since, and the watch is open and no step due. */
  private quietAsOf(t: number): boolean {
    return this.quietSince !== undefined && this.quietSince <= t && this.changes.watched() && !this.pacer.busy();
  }

  private setWatching(watching: boolean): void {
    this.watching = watching;
    if (!watching) this.quietSince = undefined;
    this.changes.setWatching(watching);
  }
}

/**
 * `tailFile` as one value per line; an overlong line arrives as `OVERLONG_LINE`.
 *
 * @param path The file to follow.
 * @param options As for `tailFile`.
 * @returns Every line once, in file order (a rotated file's rest before the new file's).
 */
export function tailLines(path: string, options: TailFileOptions = {}): Observable<string> {
  return linesOfChunks(tailBytes(path, options).pipe(map((chunk) => chunk.view)));
}

function startOf(options: TailFileOptions): StartAt {
  if (options.startPosition !== undefined) return { position: options.startPosition };
  if (options.fromEnd === true) return { end: true };
  return { offset: options.startOffset ?? 0 };
}
