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

/**
 * The alert's memory (`EngineState.alert`), updated in place by `trafficAlert`: made by the
 * engine, saved in and restored from its checkpoints (see `followLog`).
 */
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
  if (!Number.isFinite(alertWindow) || alertWindow <= 0)
    throw new MonitorOptionsError(`alert window must be a positive number of ms, got ${alertWindow}`);
  if (!Number.isFinite(threshold) || threshold < 0)
    throw new MonitorOptionsError(`threshold must be a non-negative number, got ${threshold}`);
  if (!Number.isFinite(recoverThreshold) || recoverThreshold < 0 || recoverThreshold > threshold) {
    throw new MonitorOptionsError(`recover threshold must be between 0 and the threshold (${threshold}), got ${recoverThreshold}`);
  }
  return { alertWindow, threshold, recoverThreshold, firing: false, starts: [], hits: [], sum: 0 };
}

/**
 * Evaluates the alert at the end of each empty interval missing just before `interval` (a gap
 * in the data, or the intervals the windowing skipped, see `maxEmptyWindows`), as if each had
 * been seen with zero hits: a firing alert recovers at the first of those ends where the rate
 * falls to or below the recover threshold, not at `interval`, however far away it is. Only a
 * recovery can happen there (no hits come in). Missing intervals are taken to be as long as
 * `interval`. Call it just before `evaluateAlert(state, interval)`; it costs one step per
 * interval in the window, not per missing interval.
 * @returns the recovery, if the alert recovers in the gap.
 */
export function recoverInGap(state: HysteresisState, interval: IntervalHits): AlertEvent | undefined {
  const { starts, hits } = state;
  const length = interval.end - interval.start;
  const last = starts[starts.length - 1];
  if (!state.firing || last === undefined || !(length > 0)) return undefined;
  const gapStart = last + length; // the end of the last interval seen
  const perSecond = state.alertWindow / 1000;
  // The first missing interval ends at gapStart + length; an interval leaves the window once
  // its start is before (end - alertWindow). Drop the oldest until the rate is low enough.
  let at = gapStart + length;
  let sum = state.sum;
  for (let k = 0; sum / perSecond > state.recoverThreshold; k++) {
    const start = starts[k];
    if (start === undefined) return undefined;
    sum -= hits[k] as number;
    const j = Math.floor((start + state.alertWindow - gapStart) / length) + 1;
    at = Math.max(at, gapStart + j * length);
  }
  if (at > interval.start) return undefined; // not before `interval`: evaluateAlert decides
  const from = at - state.alertWindow;
  while (starts.length > 0 && (starts[0] as number) < from) {
    starts.shift();
    state.sum -= hits.shift() as number;
  }
  state.firing = false;
  state.fired = undefined;
  return { type: 'alert', state: 'recovered', at, hits: state.sum, rate: state.sum / perSecond, threshold: state.recoverThreshold };
}

/**
 * Adds one closed interval and evaluates the alert at its end. Returns the transition, if any.
 * Intervals must arrive in order; gaps between them count as zero hits (call
 * {@link recoverInGap} first to evaluate the alert inside a gap too).
 */
export function evaluateAlert(state: HysteresisState, interval: IntervalHits): AlertEvent | undefined {
  if (interval.end - interval.start > state.alertWindow) {
    throw new MonitorOptionsError(
      `an interval (${interval.end - interval.start} ms) is longer than the alert window (${state.alertWindow} ms)`,
    );
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
