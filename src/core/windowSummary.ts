import type { ClosedWindow, InvalidCounts, SectionHits, StatsEvent } from '../types.js';
import { orderedReasons } from '../invalidReasons.js';

/** `200 -> "2xx"`. */
export function statusClassOf(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** Top `n` entries by hits descending, then name ascending. */
export function topSections(counts: ReadonlyMap<string, number>, n: number): SectionHits[] {
  const all: SectionHits[] = [];
  for (const [name, hits] of counts) all.push({ name, hits });
  all.sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return all.slice(0, Math.max(0, n));
}

export interface SummarizeOptions {
  readonly top: number;
  readonly invalid: number;
  readonly late: number;
  /** `invalid` by reason; listed on the event when `invalid` > 0. */
  readonly invalidReasons?: Readonly<Record<string, number>>;
}

/** Statistics of one closed window (its aggregate), with the invalid and late lines since the previous one: a pure function. */
export function summarizeWindow(window: ClosedWindow, options: SummarizeOptions): StatsEvent {
  const { start, end, hits, bytes, hosts, sections, status, skipped, ruleData } = window;
  const { top, invalid, late, invalidReasons = {} } = options;
  return {
    type: 'stats',
    start,
    end,
    hits,
    bytes,
    hosts,
    sections: sections.slice(0, Math.max(0, top)),
    status,
    invalid,
    late,
    ...withReasons(invalid, invalidReasons),
    ...(skipped === undefined || skipped === 0 ? {} : { skipped }),
    ...(ruleData === undefined ? {} : { ruleData }),
  };
}

/** `{ invalidReasons }` for a stats event: when `invalid` > 0 and some reason was counted. */
export function withReasons(invalid: number, reasons: Readonly<Record<string, number>>): { invalidReasons?: InvalidCounts } {
  if (invalid === 0) return {};
  const ordered = orderedReasons(reasons);
  return Object.keys(ordered).length === 0 ? {} : { invalidReasons: ordered };
}
