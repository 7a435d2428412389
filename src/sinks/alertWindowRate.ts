import { createAlertState, evaluateAlert } from '../core/alertHysteresis.js';
import type { StatsEvent } from '../types.js';

/**
 * The rate the built-in alert compares with its threshold, recomputed by an output from the
 * stats events it sees: hits over the last `alertWindow` ms (a gap counts as zero hits)
 * divided by its length in seconds, as of each interval's end. Exporters serve it with every
 * interval, not only at alert transitions.
 *
 * @returns `(stats) => requests per second`, to be called once per stats event, in order.
 */
export function createAlertWindowRate(alertWindow: number): (event: StatsEvent) => number {
  let window = slidingHits(alertWindow);
  return (event) => {
    const hits = count(event.hits);
    const length = event.end - event.start;
    if (length > alertWindow) {
      // An interval longer than the window: its own average is the best estimate.
      window = slidingHits(alertWindow);
      return length > 0 ? hits / (length / 1000) : 0;
    }
    evaluateAlert(window, { start: event.start, end: event.end, hits });
    return window.sum / (alertWindow / 1000);
  };
}

/** The alert state machine with a threshold it never crosses: only its sliding sum is used. */
function slidingHits(alertWindow: number) {
  return createAlertState({ alertWindow, threshold: Number.MAX_VALUE });
}

/** A usable non-negative count (NaN, infinities and negatives count as 0). */
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}
