/**
 * What a window keeps instead of its records: hits, bytes, hits per status class, and hosts
 * and sections as intern-table ids with their counts. `tallyStats` turns it into the
 * `StatsEvent` that `summarizeWindow` (src/core/windowSummary.ts) computes from the records,
 * field for field and key for key.
 *
 * Ids name strings only within a generation of their table; before a table starts a new one,
 * `renameHosts` / `renameSections` move an open window's ids into strings.
 */
import type { StatsEvent } from '../types.js';
import { statusClassOf, topSections, withReasons } from '../core/windowSummary.js';
import { IdCounts } from './idCounts.js';

/** Where ids get their strings (the current generation of a table). */
export interface IdNames {
  nameOf(id: number): string;
}

export class WindowTally {
  hits = 0;
  bytes = 0;
  /** Hits per status class, by hundreds digit (statuses are 100..999). */
  readonly classes: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  readonly hostIds = new IdCounts();
  readonly sectionIds = new IdCounts();
  /** Hosts and sections of earlier generations, by name. */
  hostNames: Set<string> | undefined;
  sectionNames: Map<string, number> | undefined;

  /** Back to empty, for reuse. */
  reset(): void {
    this.hits = 0;
    this.bytes = 0;
    this.classes.fill(0);
    this.hostIds.clear();
    this.sectionIds.clear();
    this.hostNames = undefined;
    this.sectionNames = undefined;
  }
}

/** Folds one record into a tally. */
export function tallyRecord(tally: WindowTally, hostId: number, sectionId: number, status: number, bytes: number): void {
  tally.hits++;
  tally.bytes += bytes;
  tally.hostIds.add(hostId);
  tally.sectionIds.add(sectionId);
  const classes = tally.classes;
  const digit = Math.floor(status / 100);
  classes[digit] = (classes[digit] as number) + 1;
}

/** Moves the host ids into names (their table is about to start a new generation). */
export function renameHosts(tally: WindowTally, names: IdNames): void {
  const hosts = (tally.hostNames ??= new Set());
  tally.hostIds.forEach((id) => hosts.add(names.nameOf(id)));
  tally.hostIds.clear();
}

/** Moves the section ids into names (their table is about to start a new generation). */
export function renameSections(tally: WindowTally, names: IdNames): void {
  tally.sectionNames = sectionCounts(tally, names);
  tally.sectionIds.clear();
}

function sectionCounts(tally: WindowTally, names: IdNames): Map<string, number> {
  const counts = new Map(tally.sectionNames);
  tally.sectionIds.forEach((id, hits) => {
    const name = names.nameOf(id);
    counts.set(name, (counts.get(name) ?? 0) + hits);
  });
  return counts;
}

function distinctHosts(tally: WindowTally, names: IdNames): number {
  if (tally.hostNames === undefined) return tally.hostIds.size;
  const hosts = new Set(tally.hostNames);
  tally.hostIds.forEach((id) => hosts.add(names.nameOf(id)));
  return hosts.size;
}

const NO_SECTIONS: ReadonlyMap<string, number> = new Map();

/** The stats of a window (an absent tally is an empty window), as `summarizeWindow` builds them. */
export function tallyStats(
  window: { readonly start: number; readonly end: number; readonly skipped: number },
  tally: WindowTally | undefined,
  names: { readonly hosts: IdNames; readonly sections: IdNames },
  counts: { readonly top: number; readonly invalid: number; readonly late: number; readonly invalidReasons?: Readonly<Record<string, number>> },
): StatsEvent {
  const status: Record<string, number> = {};
  if (tally !== undefined) {
    // Classes 1xx..9xx in ascending order: the order of summarizeWindow's sorted keys.
    for (let digit = 1; digit <= 9; digit++) {
      const hits = tally.classes[digit] as number;
      if (hits > 0) status[statusClassOf(digit * 100)] = hits;
    }
  }
  const { start, end, skipped } = window;
  return {
    type: 'stats',
    start,
    end,
    hits: tally?.hits ?? 0,
    bytes: tally?.bytes ?? 0,
    hosts: tally === undefined ? 0 : distinctHosts(tally, names.hosts),
    sections: topSections(tally === undefined ? NO_SECTIONS : sectionCounts(tally, names.sections), counts.top),
    status,
    invalid: counts.invalid,
    late: counts.late,
    ...withReasons(counts.invalid, counts.invalidReasons ?? {}),
    ...(skipped === 0 ? {} : { skipped }),
  };
}
