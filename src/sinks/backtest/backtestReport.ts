/**
 * `--backtest`: what each alert would have done over the log, from the engine's events alone
 * (pure): how many times it fired, for how long in all and at most, and each firing period
 * with its peak value. A period still open at the end is cut at the last interval's end.
 */
import type { AlertEvent, MonitorEvent, RuleValue } from '../../types.js';
import { createAlertWindowRate } from '../alertWindowRate.js';

/** The alert of a report: the built-in traffic alert or a rule, as the user wrote it. */
export interface BacktestAlert {
  /** `traffic` for the built-in alert, else the rule's name. */
  readonly name: string;
  readonly kind: RuleValue['kind'];
  /** The rule in `--rule` syntax (the built-in alert's in the same words). */
  readonly definition: string;
  /** True for the built-in alert. */
  readonly builtin?: boolean;
}

/** One firing period. */
export interface FiringPeriod {
  /** When it fired (event time, ms). */
  readonly from: number;
  /** When it recovered; undefined when it still fired at the end. */
  readonly to: number | undefined;
  /** Highest value from the firing to the recovery (req/s, share, seconds, bytes/s). */
  readonly peak: number;
}

export interface BacktestState {
  readonly alerts: readonly BacktestAlert[];
  /** By alert name: the periods, the last one open while firing. */
  readonly periods: ReadonlyMap<string, FiringPeriod[]>;
  /** First interval start and last interval end seen (ms). */
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly intervals: number;
}

/** The backtest as data (what `--json` prints), durations in seconds, times ISO 8601. */
export interface BacktestResult {
  readonly alerts: readonly {
    readonly name: string;
    readonly kind: RuleValue['kind'];
    readonly definition: string;
    readonly builtin?: boolean;
    readonly fired: number;
    readonly firingSeconds: number;
    readonly longestSeconds: number;
    readonly periods: readonly {
      readonly from: number;
      readonly to: number;
      readonly seconds: number;
      readonly peak: number;
      readonly open: boolean;
    }[];
  }[];
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly intervals: number;
}

/** A reducer of the engine's events into a backtest (`alertWindow`: the built-in alert's, for its peak rate). */
export function createBacktest(alerts: readonly BacktestAlert[], alertWindow: number) {
  const periods = new Map<string, FiringPeriod[]>(alerts.map((a) => [a.name, []]));
  const builtinRate = createAlertWindowRate(alertWindow);
  let start: number | undefined;
  let end: number | undefined;
  let intervals = 0;
  const open = (name: string): FiringPeriod[] | undefined => {
    const list = periods.get(name);
    const last = list?.[list.length - 1];
    return last !== undefined && last.to === undefined ? list : undefined;
  };
  const raise = (name: string, value: number | null | undefined): void => {
    const list = open(name);
    if (list === undefined || value === null || value === undefined || !Number.isFinite(value)) return;
    const last = list[list.length - 1] as FiringPeriod;
    if (value > last.peak) list[list.length - 1] = { ...last, peak: value };
  };
  const onAlert = (event: AlertEvent): void => {
    const name = event.rule ?? 'traffic';
    const list = periods.get(name);
    if (list === undefined) return;
    if (event.state === 'firing') {
      if (open(name) === undefined) list.push({ from: event.at, to: undefined, peak: event.value ?? event.rate });
    } else if (open(name) !== undefined) {
      list[list.length - 1] = { ...(list[list.length - 1] as FiringPeriod), to: event.at };
    }
  };
  return {
    next(event: MonitorEvent): void {
      if (event.type === 'alert') onAlert(event);
      else if (event.type === 'stats') {
        start ??= event.start;
        end = event.end;
        intervals++;
        raise('traffic', builtinRate(event));
        for (const r of event.rules ?? []) raise(r.rule, r.value);
      }
    },
    result(): BacktestResult {
      return {
        start,
        end,
        intervals,
        alerts: alerts.map((a) => {
          const list = (periods.get(a.name) ?? []).map((p) => {
            const to = p.to ?? Math.max(p.from, end ?? p.from);
            return { from: p.from, to, seconds: (to - p.from) / 1000, peak: p.peak, open: p.to === undefined };
          });
          return {
            ...a,
            fired: list.length,
            firingSeconds: list.reduce((sum, p) => sum + p.seconds, 0),
            longestSeconds: list.reduce((max, p) => Math.max(max, p.seconds), 0),
            periods: list,
          };
        }),
      };
    },
  };
}
