import type { AlertEvent } from '../types.js';
import { MonitorOptionsError } from '../errors.js';

/**
 * The pure alert state machine: a sliding sum of hits over the last `alertWindow` ms,
 * evaluated at each window end T over counted lines with time in [T - alertWindow, T).
 * Not firing and rate > threshold -> firing; firing and rate <= recoverThreshold -> recovered.
 * A recover threshold below the fire threshold gives hysteresis (no flapping at the boundary).
 */
export interface AlertOptions {
  /** Length of the averaging window in ms; a multiple of the stats interval. Default 120 000. */
  readonly alertWindow: number;
  /** Requests per second above which the alert fires. */
  readonly threshold: number;
  /** Requests per second at or below which a firing alert recovers. Default: threshold. */
  readonly recoverThreshold?: number;
}

/** The alert's memory, updated in place by `trafficAlert` (see `createAlertState`). */
export interface HysteresisState {
  /** Averaging window, ms. */
  readonly alertWindow: number;
  /** Requests per second above which it fires. */
  readonly threshold: number;
  /** Requests per second at or below which it recovers. */
  readonly recoverThreshold: number;
  /** Whether it fires now. */
  firing: boolean;
  /** While firing: the transition that made it fire (what a resumed run re-sends to Alertmanager). */
  fired?: AlertEvent | undefined;
  /** Hits of recent intervals, oldest first, with their start times. */
  readonly starts: number[];
  /** Hits of those intervals, in the same order. */
  readonly hits: number[];
  /** Sum of `hits`. */
  sum: number;
}

/** One closed interval as the alert sees it. */
export interface IntervalHits {
  /** Its first event time, ms. */
  readonly start: number;
  /** The first event time after it, ms: where the alert is evaluated. */
  readonly end: number;
  /** Its counted lines. */
  readonly hits: number;
}

export function createAlertState(options: AlertOptions): HysteresisState {
  const { alertWindow, threshold, recoverThreshold = threshold } = options;
  if (!Number.isFinite(alertWindow) || alertWindow <= 0) throw new MonitorOptionsError(`alert window must be a positive number of ms, got ${alertWindow}`);
  if (!Number.isFinite(threshold) || threshold < 0) throw new MonitorOptionsError(`threshold must be a non-negative number, got ${threshold}`);
  if (!Number.isFinite(recoverThreshold) || recoverThreshold < 0 || recoverThreshold > threshold) {
    throw new MonitorOptionsError(`recover threshold must be between 0 and the threshold (${threshold}), got ${recoverThreshold}`);
  }
  return { alertWindow, threshold, recoverThreshold, firing: false, starts: [], hits: [], sum: 0 };
}

/**
 * Adds one closed interval and evaluates the alert at its end. Returns the transition, if any.
 * Intervals must arrive in order; gaps between them count as zero hits.
 */
export function evaluateAlert(state: HysteresisState, interval: IntervalHits): AlertEvent | undefined {
  if (interval.end - interval.start > state.alertWindow) {
    throw new MonitorOptionsError(`an interval (${interval.end - interval.start} ms) is longer than the alert window (${state.alertWindow} ms)`);
  }
  state.starts.push(interval.start);
  state.hits.push(interval.hits);
  state.sum += interval.hits;
  const from = interval.end - state.alertWindow;
  while (state.starts.length > 0 && (state.starts[0] as number) < from) {
    state.starts.shift();
    state.sum -= state.hits.shift() as number;
  }
  const hits = state.sum;
  const rate = hits / (state.alertWindow / 1000);
  if (!state.firing && rate > state.threshold) {
    state.firing = true;
    state.fired = { type: 'alert', state: 'firing', at: interval.end, hits, rate, threshold: state.threshold };
    return state.fired;
  }
  if (state.firing && rate <= state.recoverThreshold) {
    state.firing = false;
    state.fired = undefined;
    return { type: 'alert', state: 'recovered', at: interval.end, hits, rate, threshold: state.recoverThreshold };
  }
  return undefined;
}
