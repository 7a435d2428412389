/**
 * What the live terminal view shows of the open interval, from what the engine pushes
 * (`MonitorOptions.onProgress`): its start and hits, and how long ago lines last arrived.
 */
import type { EngineProgress, OpenInterval } from '../engine/engineState.js';

/** The open interval as the live view shows it, with the time since the last line arrived. */
export interface LivePeek {
  /** The newest interval while it is open; undefined once it closed, until lines of a newer one arrive. */
  readonly open?: OpenInterval | undefined;
  /** Ms since lines last arrived (processing time); undefined before the first. */
  readonly idle?: number | undefined;
}

export interface LiveInterval {
  /** Give this to the engine as `onProgress`. */
  readonly onProgress: (progress: EngineProgress) => void;
  /** The view polls this: undefined before the first progress. */
  readonly peek: () => LivePeek | undefined;
}

/** @param now processing time in ms (the CLI's clock; operators never read it). */
export function liveInterval(now: () => number): LiveInterval {
  let last: EngineProgress | undefined;
  let arrivedAt: number | undefined;
  return {
    onProgress: (progress) => {
      last = progress;
      if (progress.arrival) arrivedAt = now();
    },
    peek: () => {
      if (last === undefined) return undefined;
      const open = last.open === undefined ? {} : { open: { start: last.open.start, hits: last.open.hits } };
      return arrivedAt === undefined ? open : { ...open, idle: Math.max(0, now() - arrivedAt) };
    },
  };
}
