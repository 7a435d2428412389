import type { AlertEvent, MonitorEvent, RuleValue, SectionHits, StatsEvent } from '../../types.js';

/** What the engine says of the open interval now (`TtyViewOptions.peek`). */
export interface LiveInterval {
  /**
   * The newest interval and the hits counted in it so far, while it is open; undefined once
   * it closed, until lines of a newer one arrive.
   */
  readonly open?: { readonly start: number; readonly hits: number } | undefined;
  /**
   * Ms since the last line arrived (processing time), when the caller can tell: it tells "no
   * traffic" (lines still arriving, or none for long) from "log not written".
   */
  readonly idle?: number | undefined;
}

export interface ViewConfig {
  /** The log file, as given on the command line. */
  readonly file: string;
  readonly mode: 'follow' | 'replay';
  /** Requests per second that fire the alert. */
  readonly threshold: number;
  /** Averaging window of the alert, ms. */
  readonly alertWindow: number;
}

export interface ViewTotals {
  readonly lines: number;
  readonly parsed: number;
  readonly invalid: number;
  readonly late: number;
  /** True once the summary event arrived (exact totals); before, counted from closed intervals. */
  readonly final: boolean;
  /** Lines kept in open windows for the next run (the summary of a stop with a checkpoint). */
  readonly held?: number;
}

/** Everything the live view shows; built from the events only (no clock). */
export interface ViewState {
  readonly config: ViewConfig;
  /** The last `HISTORY` intervals, oldest first. */
  readonly intervals: readonly StatsEvent[];
  /** Hits of the intervals inside the alert window ending at the latest interval, oldest first. */
  readonly window: readonly { readonly start: number; readonly hits: number }[];
  /** Average rate over the alert window at the end of the latest interval (req/s). */
  readonly rate: number | undefined;
  readonly firing: boolean;
  /** The last `ALERT_HISTORY` alert transitions, oldest first. */
  readonly alerts: readonly AlertEvent[];
  readonly totals: ViewTotals;
  /** The alert rules as of the latest interval (their values and states); absent without rules. */
  readonly rules?: readonly RuleValue[];
}

/** Intervals kept for the table and the sparkline. */
export const HISTORY = 60;
/** The top sections and the `--by` breakdown sum the intervals of this much event time (ms), at least one interval. */
export const RECENT = 60_000;
/** Alert transitions kept. */
export const ALERT_HISTORY = 5;

export function initialViewState(config: ViewConfig): ViewState {
  return {
    config,
    intervals: [],
    window: [],
    rate: undefined,
    firing: false,
    alerts: [],
    totals: { lines: 0, parsed: 0, invalid: 0, late: 0, final: false },
  };
}

/** The pure reducer of the view: `(state, event) => state`. */
export function reduceView(state: ViewState, event: MonitorEvent): ViewState {
  switch (event.type) {
    case 'stats':
      return reduceStats(state, event);
    case 'alert':
      // A rule's transition: in the history; its state comes with the interval (`rules`).
      if (event.rule !== undefined) return { ...state, alerts: [...state.alerts, event].slice(-ALERT_HISTORY) };
      return {
        ...state,
        firing: event.state === 'firing',
        rate: event.rate,
        alerts: [...state.alerts, event].slice(-ALERT_HISTORY),
      };
    case 'summary':
      return {
        ...state,
        totals: {
          lines: event.lines,
          parsed: event.parsed,
          invalid: event.invalid,
          late: event.late,
          final: true,
          ...(event.held === undefined ? {} : { held: event.held }),
        },
      };
  }
}

function reduceStats(state: ViewState, s: StatsEvent): ViewState {
  // The alert at T = s.end counts the lines in [T - alertWindow, T).
  const from = s.end - state.config.alertWindow;
  const window = [...state.window, { start: s.start, hits: s.hits }].filter((w) => w.start >= from);
  const hits = window.reduce((sum, w) => sum + w.hits, 0);
  const t = state.totals;
  const parsed = t.parsed + s.hits + s.late;
  const invalid = t.invalid + s.invalid;
  return {
    ...state,
    intervals: [...state.intervals, s].slice(-HISTORY),
    window,
    rate: hits / (state.config.alertWindow / 1000),
    ...(s.rules === undefined ? {} : { rules: s.rules }),
    totals: t.final ? t : { lines: parsed + invalid, parsed, invalid, late: t.late + s.late, final: false },
  };
}

/**
 * The interval to show as current: the open one `live` tells of, unless the view already has
 * its stats (closed meanwhile, before the engine said so); undefined when none is open.
 */
export function currentInterval(
  state: ViewState,
  live: LiveInterval | undefined,
): { readonly start: number; readonly hits: number } | undefined {
  const open = live?.open;
  const latest = state.intervals[state.intervals.length - 1];
  if (open === undefined || (latest !== undefined && open.start < latest.end)) return undefined;
  return open;
}

/** Hits per name summed over the recent intervals, most first (ties by name). */
export interface RecentHits {
  /** Start of the oldest interval summed, ms. */
  readonly start: number;
  /** End of the newest, ms. */
  readonly end: number;
  /** Each interval's top sections, summed. */
  readonly sections: readonly SectionHits[];
  /** Each interval's `--by` hits, summed; undefined without `--by`. */
  readonly by: readonly SectionHits[] | undefined;
}

/**
 * The closed intervals of the last {@link RECENT} ms of event time (ending with the latest;
 * at least the latest one), their top sections and `--by` hits summed: what the view shows
 * below the table, so that a burst stays visible for a minute on a quiet site. Each interval
 * reports only its top sections, so a section's sum counts the intervals where it was in
 * the top. Undefined before the first closed interval.
 */
export function recentHits(state: ViewState): RecentHits | undefined {
  const latest = state.intervals[state.intervals.length - 1];
  if (latest === undefined) return undefined;
  const from = latest.end - RECENT;
  const recent = state.intervals.filter((s) => s.start >= from);
  const shown = recent.length > 0 ? recent : [latest];
  const top = Math.max(...shown.map((s) => s.sections.length));
  const withBy = shown.filter((s) => s.by !== undefined);
  return {
    start: shown[0]?.start ?? latest.start,
    end: latest.end,
    sections: sumHits(shown.map((s) => s.sections)).slice(0, top),
    by: withBy.length === 0 ? undefined : sumHits(withBy.map((s) => s.by ?? [])),
  };
}

function sumHits(lists: readonly (readonly SectionHits[])[]): SectionHits[] {
  const sums = new Map<string, number>();
  for (const list of lists) for (const { name, hits } of list) sums.set(name, (sums.get(name) ?? 0) + hits);
  return [...sums]
    .map(([name, hits]) => ({ name, hits }))
    .sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
