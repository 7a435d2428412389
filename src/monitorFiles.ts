/**
 * `monitorFiles`: several logs (paths or globs), one set of windows over all of them. A
 * composition, not a second engine: each file is its own source, parsed apiece; `mergeByTime`
 * merges them in event time (each source is its own watermark; a quiet one stops holding the
 * others back after `idleTimeout` in follow mode); then the usual windows, stats and alert.
 */
import { Observable, asyncScheduler, defer, from, identity, map, mergeMap, takeUntil, tap, type SchedulerLike } from 'rxjs';
import { isBlankLine } from './parse/blank.js';
import type { WindowingState } from './core/eventTimeWindowing.js';
import { countRecord, createBreakdown, takeWindow, vhostOf, type Breakdown } from './breakdown/windowBreakdown.js';
import { parseAccessLog } from '../operators/parseAccessLog.js';
import { mergeByTime } from '../operators/mergeByTime.js';
import { eventTimeRange, type OutOfRangeCount } from '../operators/eventTimeRange.js';
import { monitorParsed, settingsOf, type MonitorOptions } from './monitor.js';
import { expandGlob, hasGlob } from './source/glob.js';
import { followSource, replaySource } from './source/fileSources.js';
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
  const sourceOf = (path: string): Observable<ParsedLine> => {
    options.onFile?.(path);
    const lines = follow ? followSource(path, history, { scheduler, ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }), ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }) }) : replaySource(path, history);
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
    options.stop === undefined ? identity : takeUntil(options.stop),
  );
  const events$ = monitorParsed(merged$, {
    ...options,
    ...(idleTimeout === undefined ? {} : { idleTimeout }),
    onState: (state) => {
      windowing = state.windowing;
      options.onState?.(state);
    },
  });
  if (!ranged && by === undefined) return events$;
  return defer(() => {
    counts.outOfRange = 0;
    const keyed = by === undefined ? undefined : (breakdown = createBreakdown(settingsOf(options).interval));
    return events$.pipe(
      map((event): MonitorEvent => {
        if (event.type === 'summary' && ranged) return { ...event, outOfRange: counts.outOfRange };
        if (event.type === 'stats' && keyed !== undefined) return { ...event, by: takeWindow(keyed, event.start, event.hits) };
        return event;
      }),
    );
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
