import type { AccessRecord, ClosedWindow, InvalidLine } from '../../src/types.js';

/** A record at `seconds` of event time (ms inside), with optional fields. */
export function rec(seconds: number, fields: Partial<Omit<AccessRecord, 'type' | 'time'>> = {}): AccessRecord {
  return {
    type: 'record',
    time: seconds * 1000,
    host: fields.host ?? '10.0.0.1',
    section: fields.section ?? '/',
    status: fields.status ?? 200,
    bytes: fields.bytes ?? 100,
    method: fields.method ?? 'GET',
    path: fields.path ?? fields.section ?? '/',
  };
}

export function bad(line = 'garbage'): InvalidLine {
  return { type: 'invalid', line, reason: 'no_match' };
}

/**
 * The closed window that holds exactly `records`, computed here from the README's definitions
 * (not with the engine's aggregate): hits, bytes, distinct hosts, every section by hits
 * descending then name, status classes in ascending order.
 */
export function windowOf(start: number, end: number, records: readonly AccessRecord[], skipped?: number): ClosedWindow {
  const sections = new Map<string, number>();
  const status = new Map<string, number>();
  for (const r of records) {
    sections.set(r.section, (sections.get(r.section) ?? 0) + 1);
    const cls = `${Math.floor(r.status / 100)}xx`;
    status.set(cls, (status.get(cls) ?? 0) + 1);
  }
  const window: ClosedWindow = {
    type: 'window',
    start,
    end,
    hits: records.length,
    bytes: records.reduce((n, r) => n + r.bytes, 0),
    hosts: new Set(records.map((r) => r.host)).size,
    sections: [...sections].map(([name, hits]) => ({ name, hits })).sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : 1)),
    status: Object.fromEntries([...status].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  return skipped === undefined ? window : { ...window, skipped };
}
