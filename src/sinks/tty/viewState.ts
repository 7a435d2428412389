import type { AlertEvent, MonitorEvent, StatsEvent } from '../../types.js';

/** The open interval so far (not closed yet): its start (ms) and the hits counted in it. */
export interface LiveInterval {
  readonly start: number;
  readonly hits: number;
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
}

/** Intervals kept for the table and the sparkline. */
export const HISTORY = 60;
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
      return {
        ...state,
        firing: event.state === 'firing',
        rate: event.rate,
        alerts: [...state.alerts, event].slice(-ALERT_HISTORY),
      };
    case 'summary':
      return { ...state, totals: { lines: event.lines, parsed: event.parsed, invalid: event.invalid, late: event.late, final: true, ...(event.held === undefined ? {} : { held: event.held }) } };
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
    totals: t.final ? t : { lines: parsed + invalid, parsed, invalid, late: t.late + s.late, final: false },
  };
}
