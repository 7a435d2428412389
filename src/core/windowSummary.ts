import type { AccessRecord, InvalidCounts, SectionHits, StatsEvent } from '../types.js';
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
  readonly start: number;
  readonly end: number;
  readonly records: readonly AccessRecord[];
  readonly top: number;
  readonly invalid: number;
  readonly late: number;
  /** `invalid` by reason; listed on the event when `invalid` > 0. */
  readonly invalidReasons?: Readonly<Record<string, number>>;
  readonly skipped?: number;
}

/** Statistics of one window's records: a pure function. */
export function summarizeWindow(options: SummarizeOptions): StatsEvent {
  const { start, end, records, top, invalid, late, skipped, invalidReasons = {} } = options;
  const hosts = new Set<string>();
  const sections = new Map<string, number>();
  const status: Record<string, number> = {};
  let bytes = 0;
  for (const r of records) {
    bytes += r.bytes;
    hosts.add(r.host);
    sections.set(r.section, (sections.get(r.section) ?? 0) + 1);
    const cls = statusClassOf(r.status);
    status[cls] = (status[cls] ?? 0) + 1;
  }
  return {
    type: 'stats',
    start,
    end,
    hits: records.length,
    bytes,
    hosts: hosts.size,
    sections: topSections(sections, top),
    status: sortedKeys(status),
    invalid,
    late,
    ...withReasons(invalid, invalidReasons),
    ...(skipped === undefined || skipped === 0 ? {} : { skipped }),
  };
}

function sortedKeys(obj: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(obj).sort()) out[key] = obj[key] as number;
  return out;
}

/** `{ invalidReasons }` for a stats event: when `invalid` > 0 and some reason was counted. */
export function withReasons(invalid: number, reasons: Readonly<Record<string, number>>): { invalidReasons?: InvalidCounts } {
  if (invalid === 0) return {};
  const ordered = orderedReasons(reasons);
  return Object.keys(ordered).length === 0 ? {} : { invalidReasons: ordered };
}
