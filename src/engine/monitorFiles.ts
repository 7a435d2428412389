/**
 * `monitorFiles`: the file engine, for one log or several (paths or globs), read once or
 * followed, with their history, a time range and checkpoints; one file is several with N = 1.
 * A composition, not a second engine: each file is its own source of line chunks, parsed
 * apiece; `mergeByTime` merges them in event time (each source is its own watermark; a quiet
 * one stops holding the others back after `idleTimeout` in follow mode); then the usual
 * windows, stats and alert (`monitorParsed`), with the checkpoint around them when following
 * with one (`checkpointed`).
 */
import { availableParallelism } from 'node:os';
import { asyncScheduler, defer, finalize, from, identity, map, mergeMap, shareReplay, take, takeUntil, type Observable } from 'rxjs';
import { createEngineState, type EngineState } from './engineState.js';
import { resolveFormat } from '../parse/index.js';
import { engineStateFrom, filesLog, type CheckpointOutbox, type FollowCheckpoint } from './follow/checkpointData.js';
export { filesLog };
import { FilesProgress } from './follow/filesProgress.js';
import { pauseOf, withPause } from '../core/pausable.js';
import { caughtUpOf, withCaughtUp } from '../core/caughtUp.js';
import { createBreakdown, takeWindow, vhostOf, type Breakdown } from './breakdown/windowBreakdown.js';
import type { RecordBatch } from '../parse/recordBatch.js';
import { countBreakdown } from './breakdown/countBreakdown.js';
import { parseAccessLog } from '../../operators/parseAccessLog.js';
import { mergeByTime } from '../../operators/mergeByTime.js';
import { eventTimeRange, type OutOfRangeCount } from '../../operators/eventTimeRange.js';
import { monitorParsedWithState, settingsOf, type MonitorOptions } from './monitor.js';
import { expandAll, watchPaths } from '../source/watchPaths.js';
import { checkpointed } from './follow/checkpointedFiles.js';
import { replaySource } from '../source/fileSources.js';
import { hasGlob } from '../source/glob.js';
import type { TailFileOptions } from '../source/tailFile.js';
import type { FilePosition } from '../source/fileIdentity.js';
import { SharedParsers } from '../parse/sharedParsers.js';
import { FollowStop, followedFile, type FollowRunSettings } from './follow/followedFile.js';
import { validateFilesOptions } from './validateOptions.js';
import { checkFollowCheckpoint } from './follow/loadFollowCheckpoint.js';
import type { MonitorEvent } from '../types.js';
import { DEFAULT_PARALLEL_MIN_BYTES, GIVEN_PARALLEL_MIN_BYTES, parallelReplay, WorkerBudget } from './parallel/parallelReplay.js';

export interface MonitorFilesOptions extends MonitorOptions {
  /** Follow the files as they grow (default: read each once to its end). */
  readonly follow?: boolean;
  /** Read each file's rotated siblings (`.3.gz`, `.2.gz`, `.1`) first, oldest first. */
  readonly history?: boolean;
  /** Keep only lines at or after this event time (ms); the others are counted `outOfRange`. */
  readonly since?: number;
  /** Keep only lines before this event time (ms). */
  readonly until?: number;
  /** Follow mode: how often globs are expanded again to pick up new files, ms. Default 2000. */
  readonly rescanInterval?: number;
  /**
   * Follow mode: files there at the start are read from their end (new lines only); files
   * that appear later, and files resumed from the checkpoint, are read as usual.
   */
  readonly fromEnd?: boolean;
  /** Follow mode: poll period of each tailer, ms. Default 250. */
  readonly pollInterval?: number;
  /** Follow mode: how long a rotated-away file is still drained, ms. Default 2000. */
  readonly rotateGrace?: number;
  /**
   * Follow mode: after each chunk of a file went into the engine, the position just after it
   * and the file's path (e.g. for a catching-up progress bar, or to stop at a known size).
   */
  readonly onRead?: (position: FilePosition, path: string) => void;
  /**
   * Follow mode: when this emits, reading stops and the summary follows. With a checkpoint, the
   * open windows are kept for the next run (saved, not reported; the summary says how many
   * lines they hold, `held`), also when it cannot be saved (warned: the next run reads again
   * from the last save); without one, they are reported first, as at the end of a replay.
   */
  readonly stop?: Observable<unknown>;
  /** Trouble that does not stop following. */
  readonly onWarning?: (message: string) => void;
  /** Called with each file as it joins. */
  readonly onFile?: (path: string) => void;
  /**
   * Add to each stats event its hits per log file (`file`: the path) or per virtual host
   * (`vhost`: `%v` of vhost_combined lines, `-` for lines without one), as `by`, capped at
   * 50 distinct names over the run (the rest fold into `other`).
   */
  readonly by?: 'file' | 'vhost';
  /**
   * Replay: parse each file of at least `parseWorkersMinBytes` bytes (plain, not gzip, read
   * without its history) on this many worker threads besides the main one; the events are the
   * same. Default: 1 with two cores or more (for files of 256 MiB or more; one for the run, taken
   * by the first such file: the others are parsed on the main thread), 0 with one.
   */
  readonly parseWorkers?: number;
  /** Replay: the smallest file parsed on workers (`parseWorkers`), bytes. Default 256 MiB, or 1 MiB when `parseWorkers` is given. */
  readonly parseWorkersMinBytes?: number;
  /** @internal Replay on workers: bytes per read (tests cut files into many segments). */
  readonly parseWorkersReadBytes?: number;
  /**
   * Follow mode: save progress (every file's positions and the engine state, in one file,
   * atomically) to `path`, and resume from `saved` (`loadFollowCheckpoint` loads one; a value
   * kept elsewhere is checked here as it checks it: an older version migrated, one made for
   * other logs or other settings refused with `CheckpointError`, synchronously). With a checkpoint, a restart after a crash reports no interval twice and
   * misses no line.
   */
  readonly checkpoint?: {
    /** The checkpoint file. */
    readonly path: string;
    /** What it held when this run started; undefined: start afresh. */
    readonly saved?: FollowCheckpoint | undefined;
  };
  /**
   * Follow mode with a checkpoint: outputs whose receivers acknowledge what they take (see
   * `Sink.outbox`, combined by `sinkOutbox`): what they have not seen acknowledged is saved with
   * the checkpoint and handed back to a resumed run, with the reports it makes again and holds back.
   */
  readonly outbox?: CheckpointOutbox;
}

/**
 * Interval statistics, alerts and a summary over every file that `patterns` name (globs are
 * expanded here: `*`, `?`, `[...]`). The events equal those of `monitor` on the files' lines
 * merged by time (stably: in file order within each file, ties to the earlier pattern).
 * Files that cannot be read end the Observable with a `FileError` (`code`, `path`): replay, a
 * pattern matching nothing (`ENOENT`), a missing file, a directory; follow mode, a directory,
 * a file whose folder does not exist (a missing file in an existing folder is waited for), one
 * gzip file followed alone. With `history`, a rotated sibling of another file named (a glob
 * such as `dir/*`) is read as that file's history only. Follow mode: rotation-safe
 * tailers; the watermark advances with the scheduler after `idleTimeout` (default: the
 * lateness, at least 1 s) of silence, so windows close and alerts recover when traffic stops.
 *
 * Options are checked when this is called (a bad one throws `MonitorOptionsError`
 * synchronously); the format is compiled once. Each subscription is a run of its own.
 *
 * @example
 * ```ts
 * import { monitorFiles } from 'apachescan';
 * monitorFiles(['/var/log/apache2/*access.log'], { follow: true }).subscribe((e) => console.log(e));
 * ```
 */
export function monitorFiles(patterns: readonly string[], given: MonitorFilesOptions = {}): Observable<MonitorEvent> {
  validateFilesOptions(patterns, given);
  // A saved checkpoint is checked here, however it was loaded (migrated if older; another log or other settings: CheckpointError).
  const { checkpoint } = given;
  const options: MonitorFilesOptions =
    checkpoint?.saved === undefined
      ? given
      : {
          ...given,
          checkpoint: { path: checkpoint.path, saved: checkFollowCheckpoint(checkpoint.saved, patterns, given, checkpoint.path) },
        };
  const { format = 'auto', follow = false, scheduler = asyncScheduler } = options;
  const settings = settingsOf(options);
  // One file named (no glob): no other source can join, so the merge never waits.
  const single = patterns.length === 1 && !hasGlob(patterns[0] as string);
  const idleTimeout = follow ? (options.idleTimeout ?? Math.max(settings.lateness, 1000)) : undefined;
  const parse = parseAccessLog({ format });
  const parsers = new SharedParsers(format);
  const lineParser = resolveFormat(format);
  const log = filesLog(patterns);
  return defer(() => {
    const run = new FilesRun(patterns, options, { format, parse, parsers, lineParser, settings, idleTimeout, single, scheduler, follow });
    return run.events(log, format);
  });
}

interface RunContext {
  readonly format: string;
  readonly parse: ReturnType<typeof parseAccessLog>;
  /** Follow mode: the parsers each file's chunks are parsed with. */
  readonly parsers: SharedParsers;
  readonly lineParser: ReturnType<typeof resolveFormat>;
  readonly settings: ReturnType<typeof settingsOf>;
  readonly idleTimeout: number | undefined;
  readonly single: boolean;
  readonly scheduler: NonNullable<MonitorFilesOptions['scheduler']>;
  readonly follow: boolean;
}

/** One subscription of `monitorFiles`: its sources, merge, breakdown and checkpoint. */
class FilesRun {
  private readonly counts: OutOfRangeCount = { outOfRange: 0 };
  /** Idle time closes windows only once no tailer has unread bytes (see `onBehindCheck`). */
  private readonly behind: (() => boolean)[] = [];
  /** Followed files whose tailer has not caught up once yet (a restart reads from its checkpoint first): idle time waits for them. */
  private starting = 0;
  /** Whether the merge holds lines waiting for a file that may give earlier ones: idle time waits for them too. */
  private mergeHolding: () => boolean = () => false;
  /** Paths by source index (sources join the merge in this order). */
  private readonly sourcePaths: string[] = [];
  private readonly progress: FilesProgress | undefined;
  /** The engine's state for this run: fresh, or restored from the checkpoint. */
  private readonly state: EngineState;
  private readonly breakdown: Breakdown | undefined;
  /** The parsing workers of a replay without a count given, shared by its files. */
  private workerBudget: WorkerBudget | undefined;
  /** Follow mode: what its files share. */
  private follow: FollowRunSettings | undefined;

  constructor(
    private readonly patterns: readonly string[],
    private readonly options: MonitorFilesOptions,
    private readonly ctx: RunContext,
  ) {
    const saved = ctx.follow ? options.checkpoint?.saved : undefined;
    this.state = saved === undefined ? createEngineState(ctx.settings) : engineStateFrom(saved, ctx.settings);
    if (ctx.follow && options.checkpoint !== undefined) this.progress = new FilesProgress(this.state, saved);
    if (options.by !== undefined) this.breakdown = createBreakdown(ctx.settings.interval);
  }

  events(log: string, format: string): Observable<MonitorEvent> {
    const { options, ctx } = this;
    const { since, until, by, maxFuture } = options;
    const ranged = since !== undefined || until !== undefined;
    const { scheduler, idleTimeout } = ctx;
    const history = options.history === true;
    const paths$ = ctx.follow
      ? watchPaths(this.patterns, options.rescanInterval ?? 2000, scheduler, history)
      : defer(() => from(expandAll(this.patterns, history))).pipe(
          mergeMap((paths) => from(paths.map((path) => ({ path, initial: true })))),
        );
    const countByKey = countBreakdown({
      target: () => (this.breakdown === undefined ? undefined : { windowing: this.state.windowing, breakdown: this.breakdown }),
      keyOfRow:
        by === 'file'
          ? (batch, row) => (batch.sources === undefined ? '-' : (this.sourcePaths[batch.sources[row] as number] ?? '-'))
          : (batch, row) => vhostOf(batch.textOf(row)),
      maxFuture,
      scheduler,
    });
    // Stopping without a checkpoint ends every source and the list of paths: the merge hands
    // over the lines it holds (waiting for a quiet file) and completes, as at the end of a replay.
    // One subscription to `stop` for the run (the CLI's listens to signals), replayed to files that join later.
    const stop =
      options.stop === undefined || this.progress !== undefined
        ? undefined
        : options.stop.pipe(take(1), shareReplay({ bufferSize: 1, refCount: true }));
    const untilStop = <T>(values: Observable<T>): Observable<T> => (stop === undefined ? values : values.pipe(takeUntil(stop)));
    // Followed files end at once on stop, all of them from one subscription to it (not one each).
    const stopping = stop === undefined || !ctx.follow ? undefined : new FollowStop(stop);
    if (ctx.follow) this.follow = this.followSettings(stopping);
    const merged$ = untilStop(paths$).pipe(
      map((file) => {
        const source = this.sourceOf(file);
        if (stop === undefined || stopping !== undefined) return source;
        const control = pauseOf(source);
        const caughtUp = caughtUpOf(source);
        const ended = untilStop(source);
        const paused = control === undefined ? ended : withPause(ended, control);
        return caughtUp === undefined ? paused : withCaughtUp(paused, caughtUp);
      }),
      mergeByTime(idleTimeout === undefined ? {} : { idleTimeout, scheduler, onHolding: (holding) => void (this.mergeHolding = holding) }),
      stopping === undefined ? identity : finalize(() => stopping.close()),
      ranged ? eventTimeRange({ since, until, counts: this.counts }) : identity,
      by === undefined ? identity : countByKey,
    );
    // Several files: windows close by the clock a little after the merge stops waiting for a
    // quiet file, so lines the merge held for it go into the windows first, never after a
    // clock-moved watermark. One file: the merge never waits.
    const engineIdle = idleTimeout === undefined ? undefined : idleTimeout + (ctx.single ? 0 : MERGE_FIRST);
    const idleHold = (): boolean => this.starting > 0 || this.mergeHolding() || this.behind.some((check) => check());
    const engineOptions = { ...options, ...(engineIdle === undefined ? {} : { idleTimeout: engineIdle, idleHold }) };
    const finish = (event: MonitorEvent): MonitorEvent => {
      if (event.type === 'summary' && ranged) return { ...event, outOfRange: this.counts.outOfRange };
      if (event.type === 'stats' && this.breakdown !== undefined)
        return { ...event, by: takeWindow(this.breakdown, event.start, event.hits) };
      return event;
    };
    if (this.progress !== undefined && options.checkpoint !== undefined) {
      const checkpoint = { path: options.checkpoint.path, saved: options.checkpoint.saved };
      return checkpointed(
        merged$,
        this.progress,
        this.state,
        { ...engineOptions, checkpoint, ctx: { log, format, settings: ctx.settings }, scheduler },
        finish,
      );
    }
    const events$ = monitorParsedWithState(merged$, engineOptions, this.state);
    return ranged || by !== undefined ? events$.pipe(map(finish)) : events$;
  }

  /** What every followed file of the run shares. */
  private followSettings(stopping: FollowStop | undefined): FollowRunSettings {
    const { options, ctx } = this;
    const tail: TailFileOptions = {
      scheduler: ctx.scheduler,
      onBehindCheck: (check: () => boolean) => this.behind.push(check),
      // The merge counts a quiet file idle on caught-up news under the idle timeout old: a sweep
      // every quarter of it brings news at most half of it old (src/source/quietSweep.ts).
      ...(ctx.idleTimeout === undefined ? {} : { caughtUpEvery: Math.max(50, ctx.idleTimeout / 4) }),
      ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }),
      ...(options.rotateGrace === undefined ? {} : { rotateGrace: options.rotateGrace }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
    };
    const onStarted = (): void => void this.starting--;
    return { parsers: ctx.parsers, only: ctx.single, tail, onRead: options.onRead, onStarted, stopping };
  }

  private sourceOf(file: { path: string; initial: boolean }): Observable<RecordBatch> {
    const { options, ctx, progress } = this;
    const { path, initial } = file;
    if (!ctx.follow) return this.replayOf(path);
    options.onFile?.(path);
    this.sourcePaths.push(path);
    // Idle time waits for it until its tailer caught up once (a restart reads from its checkpoint first).
    this.starting++;
    const fromEnd = initial && options.fromEnd === true;
    const history = options.history === true && !fromEnd;
    const settings = this.follow as FollowRunSettings;
    if (progress === undefined) return followedFile(path, { fromEnd, history, reader: undefined }, settings);
    // History lines have no position: no checkpoint is saved until every file reaches its live file.
    const withHistory = history && !progress.resumes(path);
    if (withHistory) progress.historyPending++;
    return followedFile(
      path,
      {
        fromEnd,
        history: withHistory,
        reader: progress.reader(path, ctx.lineParser),
        onHistoryRead: () => void progress.historyPending--,
      },
      settings,
    );
  }

  private replayOf(path: string): Observable<RecordBatch> {
    const { options, ctx } = this;
    const { parse } = ctx;
    const history = options.history === true;
    options.onFile?.(path);
    this.sourcePaths.push(path);
    const workers = options.parseWorkers ?? defaultParseWorkers();
    if (!history && workers > 0) {
      const given = options.parseWorkers !== undefined;
      const minBytes = options.parseWorkersMinBytes ?? (given ? GIVEN_PARALLEL_MIN_BYTES : DEFAULT_PARALLEL_MIN_BYTES);
      const readBytes = options.parseWorkersReadBytes;
      // By default one worker for the run, taken by the first big file (several big files merged
      // would start a worker each: more threads than cores, and their memory); a count given is per file.
      const budget = given ? undefined : (this.workerBudget ??= new WorkerBudget(workers));
      const replay = { format: ctx.format, workers, minBytes, ...(readBytes === undefined ? {} : { readBytes }) };
      return parallelReplay(path, budget === undefined ? replay : { ...replay, budget }, parse);
    }
    const lines = replaySource(path, history);
    const control = pauseOf(lines);
    const parsed = lines.pipe(parse);
    return control === undefined ? parsed : withPause(parsed, control);
  }
}

/**
 * Parsing workers for a big replay: this thread reads, windows and writes (about 40 % of a
 * replay's work), one worker splits and parses (a second one was slower on two cores, and is
 * not measured on more).
 */
function defaultParseWorkers(): number {
  return availableParallelism() >= 2 ? 1 : 0;
}

/** How much later than the merge's idle timeout (ms) the windows' own idle advance runs. */
const MERGE_FIRST = 100;
