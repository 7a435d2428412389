import { createWindowing, type WindowingState } from './core/eventTimeWindowing.js';
import { createAlertState, type HysteresisState } from './core/alertHysteresis.js';
import type { PendingCounts } from '../operators/windowStats.js';

/** Counts every non-empty line as parsed or invalid, and parsed lines as windowed or late. */
export interface LineTotals {
  lines: number;
  parsed: number;
  invalid: number;
  late: number;
  /** `invalid` by reason (see `InvalidReason`). */
  invalidReasons: Record<string, number>;
}

/**
 * Everything the engine remembers between lines, in plain objects that the operators update
 * in place: enough to snapshot into a checkpoint and to resume from one.
 */
export interface EngineState {
  readonly windowing: WindowingState;
  readonly pending: PendingCounts;
  readonly alert: HysteresisState;
  readonly totals: LineTotals;
}

export interface EngineSettings {
  readonly interval: number;
  readonly lateness: number;
  readonly alertWindow: number;
  readonly threshold: number;
  readonly recoverThreshold?: number;
  readonly maxEmptyWindows?: number;
}

export function createEngineState(settings: EngineSettings): EngineState {
  const { interval, lateness, alertWindow, threshold, recoverThreshold, maxEmptyWindows } = settings;
  return {
    windowing: createWindowing({ interval, lateness, ...(maxEmptyWindows === undefined ? {} : { maxEmptyWindows }) }),
    pending: { invalid: 0, late: 0, invalidReasons: {} },
    alert: createAlertState({ alertWindow, threshold, ...(recoverThreshold === undefined ? {} : { recoverThreshold }) }),
    totals: { lines: 0, parsed: 0, invalid: 0, late: 0, invalidReasons: {} },
  };
}

/** The newest open interval and its hits so far (what a live view shows as "current"). */
export function openInterval(state: EngineState): { start: number; hits: number } | undefined {
  const { windowing } = state;
  if (!Number.isFinite(windowing.maxTime)) return undefined;
  const start = Math.floor(windowing.maxTime / windowing.interval) * windowing.interval;
  return { start, hits: windowing.open.get(start)?.hits ?? 0 };
}
