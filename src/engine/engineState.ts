import { createWindowing, type WindowingState } from '../core/eventTimeWindowing.js';
import { createAlertState, type HysteresisState } from '../core/alertHysteresis.js';
import type { PendingCounts } from '../../operators/windowStats.js';
import type { Rule } from '../core/rules/rule.js';
import { createRuleState, type RuleState } from '../core/rules/ruleState.js';

/** Counts every non-empty line as parsed or invalid, and parsed lines as windowed or late. */
export interface LineTotals {
  /** Non-empty lines: `parsed + invalid`. */
  lines: number;
  /** Lines that parsed as requests (late ones included). */
  parsed: number;
  /** Lines that did not. */
  invalid: number;
  /** Parsed lines that came after their window had closed. */
  late: number;
  /** `invalid` by reason (see `InvalidReason`). */
  invalidReasons: Record<string, number>;
}

/**
 * Everything the engine remembers between lines, in plain objects that the operators update
 * in place: enough to snapshot into a checkpoint and to resume from one.
 */
export interface EngineState {
  /** Watermark, open windows (aggregates) and the next window to emit. */
  readonly windowing: WindowingState;
  /** Invalid and late lines not yet reported in a stats event. */
  readonly pending: PendingCounts;
  /** The alert's sliding sum and whether it fires. */
  readonly alert: HysteresisState;
  /** The alert rules' sliding windows and states, in rule order (empty without rules). */
  readonly rules: RuleState[];
  /** Every line counted so far. */
  readonly totals: LineTotals;
}

/** What gives an engine state its meaning (see `MonitorOptions` for each). */
export interface EngineSettings {
  /** Window length, ms. */
  readonly interval: number;
  /** Bounded lateness, ms. */
  readonly lateness: number;
  /** Averaging window of the alert, ms (a multiple of `interval`). */
  readonly alertWindow: number;
  /** Requests per second above which the alert fires. */
  readonly threshold: number;
  /** Requests per second at or below which it recovers (default `threshold`). */
  readonly recoverThreshold?: number;
  /** Longest run of empty windows reported across a gap. */
  readonly maxEmptyWindows?: number;
  /** Alert rules besides the built-in alert. */
  readonly rules?: readonly Rule[];
}

export function createEngineState(settings: EngineSettings): EngineState {
  const { interval, lateness, alertWindow, threshold, recoverThreshold, maxEmptyWindows } = settings;
  return {
    windowing: createWindowing({ interval, lateness, ...(maxEmptyWindows === undefined ? {} : { maxEmptyWindows }) }),
    pending: { invalid: 0, late: 0, invalidReasons: {} },
    alert: createAlertState({ alertWindow, threshold, ...(recoverThreshold === undefined ? {} : { recoverThreshold }) }),
    rules: (settings.rules ?? []).map(createRuleState),
    totals: { lines: 0, parsed: 0, invalid: 0, late: 0, invalidReasons: {} },
  };
}

/**
 * What a live view shows of a running engine, handed to `MonitorOptions.onProgress`: after each
 * batch of lines went into the windows (`arrival`: true), and after each interval closed.
 */
export interface EngineProgress {
  /** True when lines just arrived; false when an interval closed (by the data or the clock). */
  readonly arrival: boolean;
  /** Non-empty lines counted so far, in closed intervals, late or invalid (the open intervals' lines come later). */
  readonly lines: number;
  /**
   * The newest interval and its hits so far, while it is open; undefined before the first
   * request, and once it closed (its stats event is out) until a request of a newer one arrives.
   */
  readonly open: OpenInterval | undefined;
  /** Newest event time counted, ms since the epoch (this run or the one resumed); undefined before the first request. */
  readonly newest: number | undefined;
}

/** The newest interval still open. */
export interface OpenInterval {
  /** Its first event time, ms since the epoch. */
  readonly start: number;
  /** Requests counted in it so far. */
  readonly hits: number;
}

/** The progress of `state` now. */
export function progressOf(state: EngineState, arrival: boolean): EngineProgress {
  const { maxTime } = state.windowing;
  return { arrival, lines: state.totals.lines, open: openInterval(state), newest: Number.isFinite(maxTime) ? maxTime : undefined };
}

/**
 * The newest interval and its hits so far (what a live view shows as "current"), while it is
 * open: undefined before the first request and once the data or the clock closed it.
 */
export function openInterval(state: EngineState): OpenInterval | undefined {
  const { windowing } = state;
  if (!Number.isFinite(windowing.maxTime)) return undefined;
  const start = Math.floor(windowing.maxTime / windowing.interval) * windowing.interval;
  // Windows close in order: every one before `nextStart` has been emitted.
  if (windowing.nextStart !== undefined && start < windowing.nextStart) return undefined;
  return { start, hits: windowing.open.get(start)?.hits ?? 0 };
}
