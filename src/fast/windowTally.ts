/**
 * What a window keeps instead of its records: hits, bytes, distinct hosts, hits per section
 * and per status class. `tallyStats` turns it into the `StatsEvent` that `summarizeWindow`
 * (src/core/windowSummary.ts) computes from the records, field for field and key for key.
 */
import type { StatsEvent } from '../types.js';
import { statusClassOf, topSections } from '../core/windowSummary.js';

export class WindowTally {
  hits = 0;
  bytes = 0;
  readonly hosts = new Set<string>();
  readonly sections = new Map<string, number>();
  /** Hits per status class, by hundreds digit (statuses are 100..999). */
  readonly classes = new Float64Array(10);
}

/** Folds one record into a tally. */
export function tallyRecord(tally: WindowTally, host: string, section: string, status: number, bytes: number): void {
  tally.hits++;
  tally.bytes += bytes;
  tally.hosts.add(host);
  const sections = tally.sections;
  sections.set(section, (sections.get(section) ?? 0) + 1);
  const classes = tally.classes;
  const digit = Math.floor(status / 100);
  classes[digit] = (classes[digit] as number) + 1;
}

const NO_SECTIONS: ReadonlyMap<string, number> = new Map();

/** The stats of a window (an absent tally is an empty window), as `summarizeWindow` builds them. */
export function tallyStats(start: number, end: number, tally: WindowTally | undefined, top: number, invalid: number, late: number, skipped: number): StatsEvent {
  const status: Record<string, number> = {};
  if (tally !== undefined) {
    // Classes 1xx..9xx in ascending order: the order of summarizeWindow's sorted keys.
    for (let digit = 1; digit <= 9; digit++) {
      const hits = tally.classes[digit] as number;
      if (hits > 0) status[statusClassOf(digit * 100)] = hits;
    }
  }
  return {
    type: 'stats',
    start,
    end,
    hits: tally?.hits ?? 0,
    bytes: tally?.bytes ?? 0,
    hosts: tally?.hosts.size ?? 0,
    sections: topSections(tally?.sections ?? NO_SECTIONS, top),
    status,
    invalid,
    late,
    ...(skipped === 0 ? {} : { skipped }),
  };
}
