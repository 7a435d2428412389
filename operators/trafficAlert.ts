import { Observable, type OperatorFunction } from 'rxjs';
import type { AlertEvent } from '../src/types.js';
import {
  createAlertState,
  evaluateAlert,
  recoverInGap,
  type AlertOptions,
  type HysteresisState,
  type IntervalHits,
} from '../src/core/alertHysteresis.js';

/** Options of `trafficAlert`. */
export interface TrafficAlertOptions {
  /** Averaging window in ms, a multiple of the interval. Default 120 000 (2 minutes). */
  readonly alertWindow?: number;
  /** Requests per second above which the alert fires. Default 10. */
  readonly threshold?: number;
  /** Requests per second at or below which it recovers. Default: the threshold. */
  readonly recoverThreshold?: number;
}

/**
 * Passes interval statistics through and, after each one, emits an alert transition when the
 * average rate over the last `alertWindow` crosses the threshold (fire) or falls back to the
 * recover threshold (recover).
 *
 * ```
 * alertWindow 20 s, threshold 1 req/s; 10 s intervals a=[0,10) 5 hits, b=[10,20) 30, c, d empty
 * source:  --a--b------c--d------|
 * output:  --a--(bF)---c--(dR)---|
 *          F: 35 hits / 20 s = 1.75 > 1 at 20 s; c: 30 / 20 s, still firing; R: 0 / 20 s at 40 s
 * ```
 *
 * @example
 * ```ts
 * import { parseAccessLog, eventTimeWindows, windowStats, trafficAlert } from 'apachescan/operators';
 * lines$.pipe(parseAccessLog(), eventTimeWindows(), windowStats(), trafficAlert({ threshold: 10 }))
 *   .subscribe((e) => { if (e.type === 'alert') console.log(e.state, e.hits); });
 * ```
 * @param options Alert window (ms), fire threshold and recover threshold (req/s).
 * Empty intervals missing from the input (a gap, or the windows `eventTimeWindows` skips after
 * `maxEmptyWindows`) count as seen with zero hits: the alert recovers at the end of the first
 * of them where the rate is low enough, and that recovery comes before the next interval.
 *
 * @returns An operator emitting every input interval, each followed by the alert event
 * evaluated at its end, if the state changed there (preceded by a recovery in the gap before it, if any).
 */
export function trafficAlert<T extends IntervalHits>(options: TrafficAlertOptions = {}): OperatorFunction<T, T | AlertEvent> {
  return trafficAlertOnState<T>(options);
}

/** `TrafficAlertOptions` and the engine's state (not exported by the package). */
export interface TrafficAlertStateOptions extends TrafficAlertOptions {
  /**
   * State kept outside the operator (`EngineState.alert`), which it then updates in place:
   * the file engine passes it, restored from a checkpoint. Its thresholds win. Subscribe such
   * a pipeline once at a time. apachescan exports no factory for it: to resume from a
   * checkpoint, use `followLog` or `monitorFiles` with `checkpoint` (and
   * `loadFollowCheckpoint`); without this option each subscription gets fresh state.
   */
  readonly state?: HysteresisState;
}

/** `trafficAlert` on state the file engine owns and restores from a checkpoint (not exported by the package). */
export function trafficAlertOnState<T extends IntervalHits>(options: TrafficAlertStateOptions): OperatorFunction<T, T | AlertEvent> {
  const { alertWindow = 120_000, threshold = 10, recoverThreshold } = options;
  const config: AlertOptions = recoverThreshold === undefined ? { alertWindow, threshold } : { alertWindow, threshold, recoverThreshold };
  createAlertState(config);
  return (source) =>
    new Observable<T | AlertEvent>((subscriber) => {
      const state = options.state ?? createAlertState(config);
      return source.subscribe({
        next: (interval) => {
          // Recovered in the empty intervals before this one (a gap, skipped windows): say so first.
          const recovered = recoverInGap(state, interval);
          if (recovered !== undefined) subscriber.next(recovered);
          subscriber.next(interval);
          const alert = evaluateAlert(state, interval);
          if (alert !== undefined) subscriber.next(alert);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
