import { round2 } from '../timeFormat.js';
import type { StatsEvent } from '../../types.js';

// Number and duration wording shared by the parts of the view.

/** Requests per second in one interval. */
export function intervalRate(s: StatsEvent): number {
  const seconds = (s.end - s.start) / 1000;
  return seconds > 0 ? s.hits / seconds : 0;
}

export function num(n: number): string {
  return String(round2(n));
}

/** `120000 -> "2m"`, `90000 -> "90s"`, `3600000 -> "1h"`. */
export function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${round2(ms / 1000)}s`;
}
