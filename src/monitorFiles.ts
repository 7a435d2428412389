/**
 * `monitorFiles`: several logs (paths or globs), one set of windows over all of them. A
 * composition, not a second engine: each file is its own source, parsed apiece; `mergeByTime`
 * merges them in event time (each source is its own watermark; a quiet one stops holding the
 * others back after `idleTimeout` in follow mode); then the usual windows, stats and alert.
 */
import { Observable, asyncScheduler, concat, defer, finalize, from, identity, map, mergeMap, takeUntil, tap, type SchedulerLike, type Subscription } from 'rxjs';
import { resolve } from 'node:path';
import { createEngineState, type EngineState } from './engineState.js';
import { resolveFormat } from './parse/index.js';
import { CheckpointWriter } from './checkpoint/checkpointWriter.js';
import { engineStateFrom, type CheckpointContext } from './follow/checkpointData.js';
import { FilesProgress, type FilesCheckpoint } from './follow/filesProgress.js';
import { isBlankLine } from './parse/blank.js';
import { pauseOf, withPause } from './core/pausable.js';
import type { WindowingState } from './core/eventTimeWindowing.js';
import { countRecord, createBreakdown, takeWindow, vhostOf, type Breakdown } from './breakdown/windowBreakdown.js';
import { parseAccessLog } from '../operators/parseAccessLog.js';
import { mergeByTime } from '../operators/mergeByTime.js';
import { eventTimeRange, type OutOfRangeCount } from '../operators/eventTimeRange.js';
import { monitorParsed, monitorParsedWithState, settingsOf, summaryOf, type MonitorOptions } from './monitor.js';
import { expandGlob, hasGlob } from './source/glob.js';
import { followSource, historySource, replaySource } from './source/fileSources.js';
import type { MonitorEvent, ParsedLine } from './types.js';

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
  /** Follow mode: poll period of each tailer, ms. Default 250. */
  readonly pollInterval?: number;
  /** Follow mode: when this emits, reading stops, open windows are flushed and the summary follows. */
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
   * Follow mode: save progress (every file's positions and the engine state, in one file,
   * atomically) to `path`, and resume from `saved` (loaded and checked by the caller). On
   * `stop`, open windows are then kept for the next run rather than reported.
   */
  readonly checkpoint?: { readonly path: string; readonly saved?: FilesCheckpoint | undefined };
}

/**
 * Interval statistics, alerts and a summary over every file that `patterns` name (globs are
 * expanded here: `*`, `?`, `[...]`). The events equal those of `monitor` on the files' lines
 * merged by time (stably: in file order within each file, ties to the earlier pattern).
 * Replay: a pattern matching nothing is an error (`code` `ENOENT`).
 */
export function monitorFiles(patterns: readonly string[], options: MonitorFilesOptions = {}): Observable<MonitorEvent> {
  const { format = 'auto', follow = false, history = false, since, until, scheduler = asyncScheduler } = options;
  const idleTimeout = follow ? (options.idleTimeout ?? Math.max(settingsOf(options).lateness, 1000)) : undefined;
  const ranged = since !== undefined || until !== undefined;
  const parse = parseAccessLog({ format });
  const counts: OutOfRangeCount = { outOfRange: 0 };
  const { by } = options;
  const keys = new WeakMap<ParsedLine, string>();
  const parseKeyed = (path: string) => (lines: Observable<string>): Observable<ParsedLine> => {
    if (by === 'file') return lines.pipe(parse, tap((line) => keys.set(line, path)));
    if (by !== 'vhost') return lines.pipe(parse);
    // The parser gives one value per non-blank line, synchronously: the vhosts pair up in order.
    const vhosts: string[] = [];
    return lines.pipe(
      tap((text) => void (isBlankLine(text) || vhosts.push(vhostOf(text)))),
      parse,
      tap((line) => keys.set(line, vhosts.shift() ?? '-')),
    );
  };
  const tailOptions = { scheduler, ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }), ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }) };
  const settings = settingsOf(options);
  const saved = follow ? options.checkpoint?.saved : undefined;
  const state = !follow || options.checkpoint === undefined ? undefined : saved === undefined ? createEngineState(settings) : engineStateFrom(saved, settings);
  const progress = state === undefined ? undefined : new FilesProgress(state, saved);
  const lineParser = resolveFormat(format);
  const sourceOf = (path: string): Observable<ParsedLine> => {
    options.onFile?.(path);
    if (progress !== undefined) {
      const live = progress.follow(path, parseKeyed(path), lineParser, tailOptions);
      if (!history || progress.resumes(path)) return live;
      // History lines have no position: no checkpoint is saved until every file reaches its live file.
      progress.historyPending++;
      const past = parseKeyed(path)(historySource(path)).pipe(finalize(() => progress.historyPending--));
      return concat(past, live);
    }
    const lines = follow ? followSource(path, history, tailOptions) : replaySource(path, history);
    const control = pauseOf(lines);
    const parsed = lines.pipe(parseKeyed(path));
    return control === undefined ? parsed : withPause(parsed, control);
  };
  const paths$ = follow ? watchPaths(patterns, options.rescanInterval ?? 2000, scheduler) : defer(() => from(expandAll(patterns))).pipe(mergeMap((paths) => from(paths)));
  let windowing: WindowingState | undefined;
  let breakdown: Breakdown | undefined;
  const { maxFuture } = options;
  const countByKey = (line: ParsedLine): void => {
    if (line.type !== 'record' || windowing === undefined || breakdown === undefined) return;
    if (maxFuture !== undefined && line.time > scheduler.now() + maxFuture) return; // invalid for the windows
    countRecord(breakdown, windowing, line.time, keys.get(line) ?? '-');
  };
  const merged$ = paths$.pipe(
    map(sourceOf),
    mergeByTime(idleTimeout === undefined ? {} : { idleTimeout, scheduler }),
    ranged ? eventTimeRange({ since, until, counts }) : identity,
    by === undefined ? identity : tap(countByKey),
    options.stop === undefined || progress !== undefined ? identity : takeUntil(options.stop),
  );
  const engineOptions = { ...options, ...(idleTimeout === undefined ? {} : { idleTimeout }) };
  const finish = (event: MonitorEvent): MonitorEvent => {
    if (event.type === 'summary' && ranged) return { ...event, outOfRange: counts.outOfRange };
    if (event.type === 'stats' && breakdown !== undefined) return { ...event, by: takeWindow(breakdown, event.start, event.hits) };
    return event;
  };
  if (progress !== undefined && state !== undefined && options.checkpoint !== undefined) {
    windowing = state.windowing;
    if (by !== undefined) breakdown = createBreakdown(settings.interval);
    options.onState?.(state);
    return checkpointed(merged$, progress, state, { ...engineOptions, checkpoint: options.checkpoint, ctx: { log: filesLog(patterns), format, settings }, scheduler }, finish);
  }
  const events$ = monitorParsed(merged$, {
    ...engineOptions,
    onState: (engineState) => {
      windowing = engineState.windowing;
      options.onState?.(engineState);
    },
  });
  if (!ranged && by === undefined) return events$;
  return defer(() => {
    counts.outOfRange = 0;
    if (by !== undefined) breakdown = createBreakdown(settings.interval);
    return events$.pipe(map(finish));
  });
}

/** What a checkpoint of several files belongs to: their patterns, resolved. */
export function filesLog(patterns: readonly string[]): string {
  return `files:${patterns.map((p) => resolve(p)).join('\n')}`;
}

/**
 * Follow mode with a checkpoint: the engine on `state` (restored or fresh); after each line
 * that made reports (once they are out) and at least once a second, every file's progress and
 * the state are saved together. On `stop`: saved, open windows kept, the summary follows.
 */
function checkpointed(
  merged$: Observable<ParsedLine>,
  progress: FilesProgress,
  state: EngineState,
  options: MonitorOptions & { checkpoint: { path: string }; ctx: CheckpointContext; scheduler: SchedulerLike; stop?: Observable<unknown>; onWarning?: (message: string) => void },
  finish: (event: MonitorEvent) => MonitorEvent,
): Observable<MonitorEvent> {
  const { scheduler } = options;
  return new Observable<MonitorEvent>((subscriber) => {
    const writer = new CheckpointWriter(options.checkpoint.path);
    let dirty = false;
    let inLine = false;
    let lastSave = -Infinity;
    let saveTimer: Subscription | undefined;
    let failing = false;
    /** @param replace a new file rather than an in-place write (the last save of a run). */
    const saveNow = (replace = false): void => {
      saveTimer?.unsubscribe();
      saveTimer = undefined;
      dirty = false;
      lastSave = scheduler.now();
      const data = progress.checkpoint(options.ctx);
      if (data === undefined) return;
      try {
        writer.save(data, replace);
        if (failing) options.onWarning?.(`checkpoint ${options.checkpoint.path} saved again`);
        failing = false;
      } catch (err) {
        if (!failing) options.onWarning?.(`cannot save checkpoint ${options.checkpoint.path}: ${(err as Error).message} (still following; will retry)`);
        failing = true;
      }
    };
    const tracked = new Observable<ParsedLine>((inner) =>
      merged$.subscribe({
        next: (line) => {
          inLine = true;
          inner.next(line);
          progress.processed(line);
          inLine = false;
          if (dirty || scheduler.now() - lastSave >= 1000) saveNow();
        },
        error: (err: unknown) => inner.error(err),
        complete: () => inner.complete(),
      }),
    );
    const engine = monitorParsedWithState(tracked, options, state).subscribe({
      next: (event) => {
        subscriber.next(finish(event));
        dirty = true;
        // Events of the idle timer: saved once they are all out.
        if (!inLine && saveTimer === undefined) saveTimer = scheduler.schedule(() => saveNow());
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    const stopping = options.stop?.subscribe(() => {
      saveNow(true);
      engine.unsubscribe();
      subscriber.next(finish(summaryOf(state.totals)));
      subscriber.complete();
    });
    return () => {
      stopping?.unsubscribe();
      engine.unsubscribe();
      saveTimer?.unsubscribe();
      writer.close();
    };
  });
}

/** Every file the patterns name, in order, each once; a pattern that matches nothing fails. */
async function expandAll(patterns: readonly string[]): Promise<string[]> {
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
 */
function watchPaths(patterns: readonly string[], every: number, scheduler: SchedulerLike): Observable<string> {
  return new Observable<string>((subscriber) => {
    const known = new Set<string>();
    let stopped = false;
    const scan = async (): Promise<void> => {
      const found: string[] = [];
      for (const pattern of patterns) found.push(...(hasGlob(pattern) ? await expandGlob(pattern) : [pattern]));
      if (stopped) return;
      for (const path of found) {
        if (known.has(path)) continue;
        known.add(path);
        subscriber.next(path);
      }
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
