import type { EngineState } from '../engineState.js';
import { openInterval } from '../engineState.js';

/** The open interval as the live view shows it, with the time since the last line arrived. */
export interface LivePeek {
  readonly start: number;
  readonly hits: number;
  /** Ms since a line last arrived (processing time); undefined before the first. */
  readonly idle?: number | undefined;
}

/**
 * A `peek` for the live view that also tells how long ago the last line arrived. It reads the
 * engine state only: whenever the counts it can see (lines counted, the newest event time,
 * hits of the open interval) changed since the previous call, a line arrived in between, so the
 * live view (which calls it at least once a second) sees arrivals to within its poll period.
 * @param now processing time in ms (the CLI's clock; operators never read it).
 */
export function peekWithIdle(state: EngineState, now: () => number): () => LivePeek | undefined {
  let seen = '';
  let lastArrival: number | undefined;
  return () => {
    const live = openInterval(state);
    const { totals, windowing } = state;
    const signature = `${totals.lines}/${windowing.maxTime}/${live?.hits ?? 0}`;
    if (signature !== seen) {
      if (totals.lines > 0 || live !== undefined) lastArrival = now();
      seen = signature;
    }
    if (live === undefined) return undefined;
    return lastArrival === undefined ? live : { ...live, idle: Math.max(0, now() - lastArrival) };
  };
}
