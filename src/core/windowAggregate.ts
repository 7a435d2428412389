/**
 * What an open window keeps instead of its records: hits, bytes, hits per status class, and
 * the distinct hosts and hits per section, exact. Memory is bounded by the distinct values
 * of the window, never by its traffic.
 *
 * Hosts and sections arrive either as ids of a dictionary (an intern table's current names,
 * from the batch parser: counted in typed arrays, no object per line) or as strings (records
 * from elsewhere). Ids name strings only within one dictionary; when a window meets a new
 * dictionary (its table started a new generation), the ids it holds are moved into names.
 */
import type { ClosedWindow, SectionHits } from '../types.js';
import { IdCounts } from './idCounts.js';
import { intervalData, type RuleAccumulator } from './rules/ruleFold.js';

export class WindowAggregate {
  hits = 0;
  bytes = 0;
  /** Hits per status class, by hundreds digit (statuses are three digits). */
  readonly classes: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  readonly hostIds = new IdCounts();
  readonly sectionIds = new IdCounts();
  /** The dictionaries the ids above belong to. */
  hostDict: readonly string[] | undefined;
  sectionDict: readonly string[] | undefined;
  /** Hosts and sections known by name (records from strings, or ids of an older dictionary). */
  hostNames: Set<string> | undefined;
  sectionNames: Map<string, number> | undefined;
  /** What alert rules need beyond these counts (see `RuleFold`); undefined without such rules. */
  extra: RuleAccumulator | undefined;

  /** Back to empty, for reuse. */
  reset(): void {
    this.hits = 0;
    this.bytes = 0;
    this.classes.fill(0);
    this.hostIds.clear();
    this.sectionIds.clear();
    this.hostDict = undefined;
    this.sectionDict = undefined;
    this.hostNames = undefined;
    this.sectionNames = undefined;
    this.extra = undefined;
  }
}

/** Folds one line whose host and section are ids of `hostDict` and `sectionDict`. */
export function foldIds(
  agg: WindowAggregate,
  hostId: number,
  hostDict: readonly string[],
  sectionId: number,
  sectionDict: readonly string[],
  status: number,
  bytes: number,
): void {
  if (agg.hostDict !== hostDict) useHostDict(agg, hostDict);
  if (agg.sectionDict !== sectionDict) useSectionDict(agg, sectionDict);
  agg.hits++;
  agg.bytes += bytes;
  agg.hostIds.add(hostId);
  agg.sectionIds.add(sectionId);
  const digit = Math.floor(status / 100) % 10;
  agg.classes[digit] = (agg.classes[digit] as number) + 1;
}

/** Folds one line whose host and section are strings. */
export function foldNames(agg: WindowAggregate, host: string, section: string, status: number, bytes: number): void {
  agg.hits++;
  agg.bytes += bytes;
  (agg.hostNames ??= new Set()).add(host);
  const sections = (agg.sectionNames ??= new Map());
  sections.set(section, (sections.get(section) ?? 0) + 1);
  const digit = Math.floor(status / 100) % 10;
  agg.classes[digit] = (agg.classes[digit] as number) + 1;
}

function useHostDict(agg: WindowAggregate, dict: readonly string[]): void {
  const old = agg.hostDict;
  if (old !== undefined && agg.hostIds.size > 0) {
    const names = (agg.hostNames ??= new Set());
    agg.hostIds.forEach((id) => {
      names.add(old[id] as string);
    });
    agg.hostIds.clear();
  }
  agg.hostDict = dict;
}

function useSectionDict(agg: WindowAggregate, dict: readonly string[]): void {
  const old = agg.sectionDict;
  if (old !== undefined && agg.sectionIds.size > 0) {
    const names = (agg.sectionNames ??= new Map());
    agg.sectionIds.forEach((id, hits) => {
      const name = old[id] as string;
      names.set(name, (names.get(name) ?? 0) + hits);
    });
    agg.sectionIds.clear();
  }
  agg.sectionDict = dict;
}

/** Distinct hosts of the window. */
export function distinctHosts(agg: WindowAggregate): number {
  const dict = agg.hostDict;
  if (agg.hostNames === undefined || dict === undefined) return (agg.hostNames?.size ?? 0) + agg.hostIds.size;
  const hosts = new Set(agg.hostNames);
  agg.hostIds.forEach((id) => {
    hosts.add(dict[id] as string);
  });
  return hosts.size;
}

/** Hits per section, by hits descending then name ascending. */
export function sectionHits(agg: WindowAggregate): SectionHits[] {
  const dict = agg.sectionDict;
  const all: SectionHits[] = [];
  if (agg.sectionNames === undefined) {
    // Ids of one dictionary only: one id per name, no merging needed.
    if (dict !== undefined)
      agg.sectionIds.forEach((id, hits) => {
        all.push({ name: dict[id] as string, hits });
      });
  } else {
    const merged = new Map(agg.sectionNames);
    if (dict !== undefined) {
      agg.sectionIds.forEach((id, hits) => {
        const name = dict[id] as string;
        merged.set(name, (merged.get(name) ?? 0) + hits);
      });
    }
    for (const [name, hits] of merged) all.push({ name, hits });
  }
  all.sort(byHitsThenName);
  return all;
}

function byHitsThenName(a: SectionHits, b: SectionHits): number {
  return b.hits - a.hits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Hits per status class (`{ "2xx": 10, "4xx": 2 }`), classes in ascending order, empty ones left out. */
export function statusClasses(agg: WindowAggregate): Record<string, number> {
  const status: Record<string, number> = {};
  for (let digit = 0; digit <= 9; digit++) {
    const hits = agg.classes[digit] as number;
    if (hits > 0) status[`${digit}xx`] = hits;
  }
  return status;
}

/** The closed window of an aggregate (undefined: no line reached it). */
export function closedWindow(start: number, end: number, agg: WindowAggregate | undefined, skipped: number): ClosedWindow {
  const window: ClosedWindow = {
    type: 'window',
    start,
    end,
    hits: agg?.hits ?? 0,
    bytes: agg?.bytes ?? 0,
    hosts: agg === undefined ? 0 : distinctHosts(agg),
    sections: agg === undefined ? [] : sectionHits(agg),
    status: agg === undefined ? {} : statusClasses(agg),
  };
  const extra = agg?.extra;
  const withData: ClosedWindow = extra === undefined ? window : { ...window, ruleData: intervalData(extra) };
  return skipped > 0 ? { ...withData, skipped } : withData;
}
