import type { AlertJson, NamedHits, StatsJson } from './eventJson.js';

/** Exact totals over a run of stats events (the report's tables, the page's "shown period"). */
export interface Totals {
  intervals: number;
  hits: number;
  bytes: number;
  invalid: number;
  late: number;
  /** Most distinct clients in one interval. */
  peakClients: number;
  /** Highest hits in one interval. */
  peakHits: number;
  status: Record<string, number>;
  invalidReasons: Record<string, number>;
  /** Hits per section, summed over the sections each interval lists (its top N). */
  sections: Map<string, number>;
  /** `--by` hits per file or virtual host. */
  by: Map<string, number>;
  /** Time of the first interval's start and the last one's end, ms. */
  first?: number;
  last?: number;
}

export function createTotals(): Totals {
  return {
    intervals: 0,
    hits: 0,
    bytes: 0,
    invalid: 0,
    late: 0,
    peakClients: 0,
    peakHits: 0,
    status: {},
    invalidReasons: {},
    sections: new Map(),
    by: new Map(),
  };
}

/**
 * The figures of an interval that the totals add up: a {@link StatsJson} or the engine's event
 * as it is (their distinct clients are named apart, `clients` and `hosts`: given beside).
 */
export type IntervalFigures = Pick<StatsJson, 'hits' | 'bytes' | 'invalid' | 'late' | 'status' | 'invalidReasons' | 'sections' | 'by'>;

/** Adds one stats event (its distinct clients; start and end already in ms). Allocates nothing per event but new names. */
export function addToTotals(totals: Totals, stats: IntervalFigures, clients: number, start: number, end: number): void {
  totals.intervals++;
  totals.hits += stats.hits;
  totals.bytes += stats.bytes;
  totals.invalid += stats.invalid;
  totals.late += stats.late;
  totals.peakClients = Math.max(totals.peakClients, clients);
  totals.peakHits = Math.max(totals.peakHits, stats.hits);
  for (const k in stats.status) totals.status[k] = (totals.status[k] ?? 0) + (stats.status[k] as number);
  const reasons = stats.invalidReasons;
  if (reasons !== undefined) for (const k in reasons) totals.invalidReasons[k] = (totals.invalidReasons[k] ?? 0) + (reasons[k] as number);
  for (const s of stats.sections) totals.sections.set(s.name, (totals.sections.get(s.name) ?? 0) + s.hits);
  for (const s of stats.by ?? []) totals.by.set(s.name, (totals.by.get(s.name) ?? 0) + s.hits);
  if (totals.first === undefined || start < totals.first) totals.first = start;
  if (totals.last === undefined || end > totals.last) totals.last = end;
}

/** The `n` names with the most hits, by hits descending then name ascending (the engine's order). */
export function topOf(hits: ReadonlyMap<string, number>, n: number): NamedHits[] {
  return [...hits]
    .map(([name, h]) => ({ name, hits: h }))
    .sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, n);
}

/** Firing periods [from, to) from alert transitions in time order; `to` undefined while still firing. */
export function firingPeriods(
  alerts: readonly AlertJson[],
  timeOf: (iso: string) => number,
): Array<{ from: number; to: number | undefined; rule?: string }> {
  const open = new Map<string, { from: number; to: number | undefined; rule?: string }>();
  const out: Array<{ from: number; to: number | undefined; rule?: string }> = [];
  for (const a of alerts) {
    const key = a.rule ?? '';
    const at = timeOf(a.at);
    if (a.state === 'firing') {
      if (open.has(key)) continue;
      const period = a.rule === undefined ? { from: at, to: undefined } : { from: at, to: undefined, rule: a.rule };
      open.set(key, period);
      out.push(period);
    } else {
      const period = open.get(key);
      if (period !== undefined) period.to = at;
      open.delete(key);
    }
  }
  return out;
}
