import { Observable, asyncScheduler, type SchedulerLike } from 'rxjs';
import type { MonitorEvent, StatsEvent, SummaryEvent, WindowOutput } from './types.js';
import { parseAccessLog } from '../operators/parseAccessLog.js';
import { eventTimeWindows } from '../operators/eventTimeWindows.js';
import { windowStats } from '../operators/windowStats.js';
import { trafficAlert } from '../operators/trafficAlert.js';
import { MonitorOptionsError } from './errors.js';

/** Engine options. Durations in milliseconds, rates in requests per second. */
export interface MonitorOptions {
  /** `auto` (Common or Combined, default), `common`, `combined`, `vhost_combined`, or an Apache LogFormat string. */
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
  /** Processing-time source for the idle advance. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** Counts every non-empty line as parsed or invalid, and parsed lines as windowed or late. */
export interface LineTotals {
  lines: number;
  parsed: number;
  invalid: number;
  late: number;
}

/**
 * The whole engine: lines in, interval statistics, alert transitions and, when the input
 * completes, a summary out. Options are validated when `monitor` is called (a bad option
 * throws `MonitorOptionsError` synchronously, never inside the stream).
 *
 * @example
 * ```ts
 * import { monitor, readLogFile } from 'apachescan';
 * monitor(readLogFile('access.log'), { threshold: 20 }).subscribe((e) => console.log(e));
 * ```
 */
export function monitor(lines$: Observable<string>, options: MonitorOptions = {}): Observable<MonitorEvent> {
  const stages = buildStages(options);
  return new Observable<MonitorEvent>((subscriber) => {
    const totals: LineTotals = { lines: 0, parsed: 0, invalid: 0, late: 0 };
    const windowed$ = lines$.pipe(stages.parse, stages.windows);
    const counted$ = new Observable<WindowOutput>((inner) =>
      windowed$.subscribe({
        next: (item) => {
          countInto(totals, item);
          inner.next(item);
        },
        error: (err: unknown) => inner.error(err),
        complete: () => inner.complete(),
      }),
    );
    return counted$.pipe(stages.stats, stages.alert).subscribe({
      next: (event) => subscriber.next(event),
      error: (err: unknown) => subscriber.error(err),
      complete: () => {
        subscriber.next(summaryOf(totals));
        subscriber.complete();
      },
    });
  });
}

function countInto(totals: LineTotals, item: WindowOutput): void {
  if (item.type === 'window') {
    totals.parsed += item.records.length;
    totals.lines += item.records.length;
  } else if (item.type === 'late') {
    totals.parsed++;
    totals.late++;
    totals.lines++;
  } else {
    totals.invalid++;
    totals.lines++;
  }
}

function summaryOf(totals: LineTotals): SummaryEvent {
  return { type: 'summary', ...totals };
}

function buildStages(options: MonitorOptions) {
  const {
    format = 'auto',
    interval = 10_000,
    lateness = 10_000,
    alertWindow = 120_000,
    threshold = 10,
    recoverThreshold,
    top = 5,
    idleTimeout,
    scheduler = asyncScheduler,
  } = options;
  try {
    if (interval > 0 && alertWindow > 0 && alertWindow % interval !== 0) {
      throw new RangeError(`the alert window (${alertWindow / 1000} s) must be a multiple of the interval (${interval / 1000} s)`);
    }
    return {
      parse: parseAccessLog({ format }),
      windows: eventTimeWindows({ interval, lateness, scheduler, ...(idleTimeout === undefined ? {} : { idleTimeout }) }),
      stats: windowStats({ top }),
      alert: trafficAlert<StatsEvent>({
        alertWindow,
        threshold,
        ...(recoverThreshold === undefined ? {} : { recoverThreshold }),
      }),
    };
  } catch (err) {
    if (err instanceof Error) throw new MonitorOptionsError(err.message, { cause: err });
    throw err;
  }
}
