/**
 * `monitorFiles`: several logs (paths or globs), one set of windows over all of them. A
 * composition, not a second engine: each file is its own source, parsed apiece; `mergeByTime`
 * merges them in event time (each source is its own watermark; a quiet one stops holding the
 * others back after `idleTimeout` in follow mode); then the usual windows, stats and alert.
 */
import { asyncScheduler, concat, defer, finalize, from, identity, map, mergeMap, takeUntil, type Observable } from 'rxjs';
import { resolve } from 'node:path';
import { createEngineState } from './engineState.js';
import { resolveFormat } from './parse/index.js';
import { engineStateFrom } from './follow/checkpointData.js';
import { FilesProgress, type FilesCheckpoint } from './follow/filesProgress.js';
import { pauseOf, withPause } from './core/pausable.js';
import type { WindowingState } from './core/eventTimeWindowing.js';
import { createBreakdown, takeWindow, vhostOf, type Breakdown } from './breakdown/windowBreakdown.js';
import type { RecordBatch } from './parse/recordBatch.js';
import { countBreakdown } from './breakdown/countBreakdown.js';
import { parseAccessLog } from '../operators/parseAccessLog.js';
import { mergeByTime } from '../operators/mergeByTime.js';
import { eventTimeRange, type OutOfRangeCount } from '../operators/eventTimeRange.js';
import { monitorParsed, settingsOf, type MonitorOptions } from './monitor.js';
import { expandAll, watchPaths } from './source/watchPaths.js';
import { checkpointed } from './follow/checkpointedFiles.js';
import { followSource, historySource, replaySource } from './source/fileSources.js';
import type { MonitorEvent } from './types.js';

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
  readonly checkpoint?: {
    /** The checkpoint file. */
    readonly path: string;
    /** What it held when this run started; undefined: start afresh. */
    readonly saved?: FilesCheckpoint | undefined;
  };
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
  // Idle time closes windows only once no tailer has unread bytes (see `onBehindCheck`).
  const behind: (() => boolean)[] = [];
  const tailOptions = {
    scheduler,
    onBehindCheck: (check: () => boolean) => behind.push(check),
    ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }),
    ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
  };
  const settings = settingsOf(options);
  const saved = follow ? options.checkpoint?.saved : undefined;
  const state = !follow || options.checkpoint === undefined ? undefined : saved === undefined ? createEngineState(settings) : engineStateFrom(saved, settings);
  const progress = state === undefined ? undefined : new FilesProgress(state, saved);
  const lineParser = resolveFormat(format);
  const sourceOf = ({ path, initial }: { path: string; initial: boolean }): Observable<RecordBatch> => {
    options.onFile?.(path);
    sourcePaths.push(path);
    const fromEnd = initial && options.fromEnd === true;
    const tailFrom = fromEnd ? { ...tailOptions, fromEnd } : tailOptions;
    if (progress !== undefined) {
      const live = progress.follow(path, parse, lineParser, tailFrom);
      if (!history || fromEnd || progress.resumes(path)) return live;
      // History lines have no position: no checkpoint is saved until every file reaches its live file.
      progress.historyPending++;
      return concat(historySource(path).pipe(parse, finalize(() => void progress.historyPending--)), live);
    }
    const lines = follow ? followSource(path, history && !fromEnd, tailFrom) : replaySource(path, history);
    const control = pauseOf(lines);
    const parsed = lines.pipe(parse);
    return control === undefined ? parsed : withPause(parsed, control);
  };
  /** Paths by source index (sources join the merge in this order). */
  const sourcePaths: string[] = [];
  const paths$ = follow ? watchPaths(patterns, options.rescanInterval ?? 2000, scheduler) : defer(() => from(expandAll(patterns))).pipe(mergeMap((paths) => from(paths.map((path) => ({ path, initial: true })))));
  let windowing: WindowingState | undefined;
  let breakdown: Breakdown | undefined;
  const { maxFuture } = options;
  const countByKey = countBreakdown({
    target: () => (windowing === undefined || breakdown === undefined ? undefined : { windowing, breakdown }),
    keyOfRow: by === 'file' ? (batch, row) => (batch.sources === undefined ? '-' : (sourcePaths[batch.sources[row] as number] ?? '-')) : (batch, row) => vhostOf(batch.textOf(row)),
    maxFuture,
    scheduler,
  });
  const merged$ = paths$.pipe(
    map(sourceOf),
    mergeByTime(idleTimeout === undefined ? {} : { idleTimeout, scheduler }),
    ranged ? eventTimeRange({ since, until, counts }) : identity,
    by === undefined ? identity : countByKey,
    options.stop === undefined || progress !== undefined ? identity : takeUntil(options.stop),
  );
  // Windows close by the clock a little after the merge stops waiting for a quiet file: lines
  // the merge held for it go into the windows first, never after a clock-moved watermark.
  const engineOptions = { ...options, ...(idleTimeout === undefined ? {} : { idleTimeout: idleTimeout + MERGE_FIRST, idleHold: () => behind.some((check) => check()) }) };
  const finish = (event: MonitorEvent): MonitorEvent => {
    if (event.type === 'summary' && ranged) return { ...event, outOfRange: counts.outOfRange };
    if (event.type === 'stats' && breakdown !== undefined) return { ...event, by: takeWindow(breakdown, event.start, event.hits) };
    return event;
  };
  if (progress !== undefined && state !== undefined && options.checkpoint !== undefined) {
    windowing = state.windowing;
    if (by !== undefined) breakdown = createBreakdown(settings.interval);
    options.onState?.(state);
    return checkpointed(merged$, progress, state, { ...engineOptions, checkpoint: { path: options.checkpoint.path, saved }, ctx: { log: filesLog(patterns), format, settings }, scheduler }, finish);
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
    sourcePaths.length = 0;
    if (by !== undefined) breakdown = createBreakdown(settings.interval);
    return events$.pipe(map(finish));
  });
}

/** How much later than the merge's idle timeout (ms) the windows' own idle advance runs. */
const MERGE_FIRST = 100;

/** What a checkpoint of several files belongs to: their patterns, resolved. */
export function filesLog(patterns: readonly string[]): string {
  return `files:${patterns.map((p) => resolve(p)).join('\n')}`;
}
