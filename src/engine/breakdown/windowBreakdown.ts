/**
 * `--by file|vhost`: hits per log file or per virtual host in each interval, beside the
 * engine rather than inside it. A record is counted under its key in its window unless the
 * windowing would call it late (the same test as `bucketFor`: its window already closed);
 * the stats event of that window then takes the counts. Keys fold into `other` past the
 * exporters' cap (the first 50 distinct keys of the run keep their name), so a log with
 * thousands of vhosts cannot blow up the output.
 */
import type { SectionHits } from '../../types.js';
import type { WindowingState } from '../../core/eventTimeWindowing.js';
import { createSectionLabels, foldSections, OTHER_SECTION, type SectionLabels } from '../../core/sectionLabels.js';

export const MAX_BREAKDOWN_KEYS = 50;

export interface Breakdown {
  readonly interval: number;
  /** Counts of the open windows, by window start. */
  readonly open: Map<number, Map<string, number>>;
  readonly labels: SectionLabels;
}

export function createBreakdown(interval: number, maxKeys = MAX_BREAKDOWN_KEYS): Breakdown {
  return { interval, open: new Map(), labels: createSectionLabels(maxKeys) };
}

/** Counts a record about to enter the windows (`windowing` as it is before the record). */
export function countRecord(breakdown: Breakdown, windowing: WindowingState, time: number, key: string): void {
  countBefore(breakdown, windowing.watermark, time, key);
}

/** Counts a record about to enter windows whose watermark is `watermark`. */
export function countBefore(breakdown: Breakdown, watermark: number, time: number, key: string): void {
  const start = Math.floor(time / breakdown.interval) * breakdown.interval;
  if (start + breakdown.interval <= watermark) return; // late: in no window
  let counts = breakdown.open.get(start);
  if (counts === undefined) breakdown.open.set(start, (counts = new Map()));
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The breakdown of the window starting at `start` (by hits, then name; capped), forgotten here. */
export function takeWindow(breakdown: Breakdown, start: number, hits: number): SectionHits[] {
  const counts = breakdown.open.get(start);
  breakdown.open.delete(start);
  if (counts === undefined) return [];
  const sorted = [...counts]
    .map(([name, n]) => ({ name, hits: n }))
    .sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const folded = foldSections(breakdown.labels, sorted, hits);
  return [...folded].filter(([name, n]) => name !== OTHER_SECTION || n > 0).map(([name, n]) => ({ name, hits: n }));
}

/** `%v` of a vhost_combined line (`host:port ...`), port dropped; `-` for a line without one. */
export function vhostOf(line: string): string {
  const match = /^([^\s:]+):\d{1,5} \S+ \S+ \S+ \[/.exec(line);
  return match === null ? '-' : (match[1] as string);
}
