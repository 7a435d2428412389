import { Observable, asyncScheduler, defer, identity, tap, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { AccessRecord, AlertEvent, InvalidLine, MonitorEvent, ParsedLine, StatsEvent, SummaryEvent, WindowOutput } from '../types.js';
import { parseAccessLog } from '../../operators/parseAccessLog.js';
import { eventTimeWindowsOnState } from '../../operators/eventTimeWindows.js';
import { windowStatsOnState } from '../../operators/windowStats.js';
import { trafficAlertOnState } from '../../operators/trafficAlert.js';
import { defined } from '../core/defined.js';
import { ruleAlerts } from '../../operators/ruleAlerts.js';
import { checkRule } from '../core/rules/ruleState.js';
import type { Rule } from '../core/rules/rule.js';
import { MonitorOptionsError } from '../errors.js';
import { asRecordBatches } from '../core/parsedBatch.js';
import type { RecordBatch } from '../parse/recordBatch.js';
import type { LineChunk } from '../source/lineChunk.js';
import { countReason, orderedReasons } from '../invalidReasons.js';
import {
  createEngineState,
  progressOf,
  type EngineProgress,
  type EngineSettings,
  type EngineState,
  type LineTotals,
} from './engineState.js';

/** Engine options. Durations in milliseconds, rates in requests per second. */
export interface MonitorOptions {
  /** `auto` (Common, Combined or vhost_combined, default), `common`, `combined`, `vhost_combined`, or an Apache LogFormat string. */
  readonly format?: string;
  /** Stats interval, ms. Default 10 000. */
  readonly interval?: number;
  /** Allowed lateness, ms. Default 10 000. */
  readonly lateness?: number;
  /** Averaging window of the alert, ms; a multiple of `interval`. Default 120 000. */
  readonly alertWindow?: number;
  /** Fire above this many requests per second. Default 10. */
  readonly threshold?: number;
  /** Recover at or below this rate. Default: `threshold`. */
  readonly recoverThreshold?: number;
  /** Sections listed per interval. Default 5. */
  readonly top?: number;
  /** Advance the watermark with the clock after this much idle time, ms (follow mode). Default: never. */
  readonly idleTimeout?: number;
  /** True while input is known to be on its way: idle time waits (see `EventTimeWindowsOptions`). */
  readonly idleHold?: () => boolean;
  /** Treat lines dated more than this many ms after the clock as invalid. Default: no check. */
  readonly maxFuture?: number;
  /** Longest run of empty intervals reported across a gap in the log. Default 8640. */
  readonly maxEmptyWindows?: number;
  /** Called with every invalid line (after it is counted), e.g. to show a few examples. */
  readonly onInvalid?: (line: InvalidLine) => void;
  /**
   * Called with every parsed record, in arrival order (late ones too), before windowing: for
   * per-request figures that windows do not keep, such as histograms of response sizes and
   * durations. Keep it cheap: it runs once per line.
   */
  readonly onRecord?: (record: AccessRecord) => void;
  /**
   * Called with every parsed request, in arrival order (late ones too), before windowing: its
   * response size in bytes and, for formats with `%D` or `%T`, how long it took to serve, in
   * seconds (else undefined). What histograms need, read from the parser's columns: unlike
   * `onRecord`, it builds no record per line (the Prometheus exporter's `observeRequest`).
   */
  readonly onRequest?: (bytes: number, duration: number | undefined) => void;
  /**
   * What a live view shows, pushed by the engine: after each batch of lines went into the
   * windows (`arrival`), and after each interval closed (by the data or the clock): lines
   * counted so far and the open interval with its hits. Keep it cheap: it runs once per batch.
   */
  readonly onProgress?: (progress: EngineProgress) => void;
  /** Processing-time source for the idle advance. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * Alert rules besides the built-in traffic alert (see `Rule`, `parseRule`), evaluated at the
   * end of every interval; their windows must be multiples of `interval`. Default: none.
   */
  readonly rules?: readonly Rule[];
}

/**
 * The whole engine: lines in, interval statistics, alert transitions and, when the input
 * completes, a summary out: `parseAccessLog` -> `eventTimeWindows` -> `windowStats` ->
 * `trafficAlert`. Lines come as strings (any `Observable<string>`) or as the line chunks of
 * our sources (`readLogFile`, `readLogStream`: the fast path). Options are validated when
 * `monitor` is called (a bad option throws `MonitorOptionsError` synchronously, never inside
 * the stream); the format is compiled once.
 *
 * @example
 * ```ts
 * import { monitor, readLogFile } from 'apachescan';
 * monitor(readLogFile('access.log'), { threshold: 20 }).subscribe((e) => console.log(e));
 * ```
 */
export function monitor(lines$: Observable<string | LineChunk>, options: MonitorOptions = {}): Observable<MonitorEvent> {
  const parse = parseStage(options);
  return monitorParsed(lines$.pipe(parse), options);
}

/**
 * `monitor` on lines already parsed: record batches (`parseAccessLog`'s, possibly through
 * stages of your own such as `filterRows`, or merged by time with `mergeByTime`) or parsed
 * lines. `options.format` is not used here.
 */
export function monitorParsed(parsed$: Observable<RecordBatch | ParsedLine>, options: MonitorOptions = {}): Observable<MonitorEvent> {
  return withFreshState(options, (state) => monitorParsedWithState(parsed$, options, state));
}

/** `parseAccessLog` for `options.format` (compiled now), a bad format as `MonitorOptionsError`. */
function parseStage(options: MonitorOptions) {
  return asOptionsError(() => parseAccessLog({ format: options.format ?? 'auto' }));
}

/** Options checked now; per subscription, a fresh engine state handed to `run`. */
function withFreshState(options: MonitorOptions, run: (state: EngineState) => Observable<MonitorEvent>): Observable<MonitorEvent> {
  const settings = checkMonitorOptions(options);
  return defer(() => run(createEngineState(settings)));
}

/**
 * @internal The engine after the parser, on caller-owned state (fresh, or restored from a
 * checkpoint), which the stages update in place: snapshot it between emissions. Subscribe the
 * result once. Used by the file engine; `monitorParsed` is the public entry.
 */
export function monitorParsedWithState(
  parsed$: Observable<RecordBatch | ParsedLine>,
  options: MonitorOptions,
  state: EngineState,
): Observable<MonitorEvent> {
  const stages = buildStages(options, state);
  const { onProgress } = options;
  return new Observable<MonitorEvent>((subscriber) => {
    const { onRecord, onRequest } = options;
    // The hooks read rows of batches (a parsed line as a batch of one); without them, the windows take either as it is.
    const hooked: Observable<RecordBatch | ParsedLine> =
      onRecord === undefined && onRequest === undefined
        ? parsed$
        : parsed$.pipe(asRecordBatches(), observeRecords(onRecord), observeRequests(onRequest));
    const arrived = onProgress === undefined ? identity : afterEach<RecordBatch | ParsedLine>(() => onProgress(progressOf(state, true)));
    const counted$ = hooked.pipe(
      arrived,
      stages.windows,
      tap((item) => {
        countInto(state.totals, item);
        if (item.type === 'invalid') options.onInvalid?.(item);
      }),
    );
    return counted$.pipe(stages.stats, stages.alert, stages.rules).subscribe({
      next: (event) => {
        subscriber.next(event);
        if (onProgress !== undefined && event.type === 'stats') onProgress(progressOf(state, false));
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => {
        subscriber.next(summaryOf(state.totals));
        subscriber.complete();
      },
    });
  });
}

/** `fn` after each value went downstream (and whatever it set off there happened). */
function afterEach<T>(fn: () => void): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next: (value) => {
          subscriber.next(value);
          fn();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}

/** `onRecord` for every record of each batch before windowing (its records made, by the string parser, for the hook only). */
function observeRecords(onRecord: MonitorOptions['onRecord']): MonoTypeOperatorFunction<RecordBatch> {
  if (onRecord === undefined) return identity;
  return tap((batch) => {
    for (let row = 0; row < batch.count; row++) if (batch.status[row] !== 0) onRecord(batch.recordAt(row));
  });
}

/** `onRequest` for every record of each batch before windowing, from its columns (the duration, when the format has one, from the row's record). */
function observeRequests(onRequest: MonitorOptions['onRequest']): MonoTypeOperatorFunction<RecordBatch> {
  if (onRequest === undefined) return identity;
  return tap((batch) => {
    const { count, status, bytes } = batch;
    if (batch.durations) {
      for (let row = 0; row < count; row++) if (status[row] !== 0) onRequest(bytes[row] as number, batch.recordAt(row).duration);
    } else {
      for (let row = 0; row < count; row++) if (status[row] !== 0) onRequest(bytes[row] as number, undefined);
    }
  });
}

function countInto(totals: LineTotals, item: WindowOutput): void {
  if (item.type === 'window') {
    totals.parsed += item.hits;
    totals.lines += item.hits;
  } else if (item.type === 'late') {
    totals.parsed++;
    totals.late++;
    totals.lines++;
  } else {
    totals.invalid++;
    totals.lines++;
    countReason(totals.invalidReasons, item.reason);
  }
}

/** The summary at a stop that keeps the open windows for the next run: with the lines they hold (`held`). */
export function heldSummary(state: EngineState): MonitorEvent {
  let held = 0;
  for (const window of state.windowing.open.values()) held += window.hits;
  return held > 0 ? { ...summaryOf(state.totals), held } : summaryOf(state.totals);
}

/** The summary event for the totals so far. */
export function summaryOf(totals: LineTotals): SummaryEvent {
  const { lines, parsed, invalid, late } = totals;
  return {
    type: 'summary',
    lines,
    parsed,
    invalid,
    late,
    ...(invalid > 0 ? { invalidReasons: orderedReasons(totals.invalidReasons) } : {}),
  };
}

/** Durations and thresholds with their defaults. */
export function settingsOf(options: MonitorOptions): EngineSettings {
  const { interval = 10_000, lateness = 10_000, alertWindow = 120_000, threshold = 10, recoverThreshold, maxEmptyWindows, rules } = options;
  return {
    interval,
    lateness,
    alertWindow,
    threshold,
    ...(recoverThreshold === undefined ? {} : { recoverThreshold }),
    ...(maxEmptyWindows === undefined ? {} : { maxEmptyWindows }),
    ...(rules === undefined || rules.length === 0 ? {} : { rules }),
  };
}

/**
 * Checks the engine's options as its stages do when they are created (nothing is subscribed;
 * the format is checked where it is compiled, by `parseAccessLog`).
 * @returns the settings, with their defaults.
 * @throws MonitorOptionsError for a bad option.
 */
export function checkMonitorOptions(options: MonitorOptions): EngineSettings {
  const settings = settingsOf(options);
  buildStages(options, createEngineStateOrThrow(settings));
  return settings;
}

function createEngineStateOrThrow(settings: EngineSettings): EngineState {
  return asOptionsError(() => {
    if (settings.interval > 0 && settings.alertWindow > 0 && settings.alertWindow % settings.interval !== 0) {
      throw new MonitorOptionsError(
        `the alert window (${settings.alertWindow / 1000} s) must be a multiple of the interval (${settings.interval / 1000} s)`,
      );
    }
    const names = new Set<string>();
    for (const rule of settings.rules ?? []) {
      checkRule(rule, settings.interval > 0 ? settings.interval : undefined);
      if (names.has(rule.name)) throw new MonitorOptionsError(`two rules are named ${rule.name}`);
      names.add(rule.name);
    }
    return createEngineState(settings);
  });
}

function buildStages(options: MonitorOptions, state: EngineState) {
  const { top = 5, idleTimeout, idleHold, maxFuture, scheduler = asyncScheduler, rules = [] } = options;
  return asOptionsError(() => ({
    windows: eventTimeWindowsOnState({
      state: state.windowing,
      scheduler,
      ...defined({ idleTimeout, idleHold, maxFuture }),
      ...(rules.length === 0 ? {} : { rules }),
    }),
    stats: windowStatsOnState({ top, pending: state.pending }),
    alert: trafficAlertOnState<StatsEvent>({ state: state.alert }),
    rules:
      rules.length === 0
        ? (identity as MonoTypeOperatorFunction<StatsEvent | AlertEvent>)
        : ruleAlerts<StatsEvent | AlertEvent>(rules, { states: state.rules }),
  }));
}

/** `build()`, any error it throws made a `MonitorOptionsError` (a bad option is the caller's mistake). */
function asOptionsError<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof MonitorOptionsError) throw err;
    if (err instanceof Error) throw new MonitorOptionsError(err.message, { cause: err });
    throw err;
  }
}
