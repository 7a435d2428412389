import type { AccessRecord, InvalidLine } from '../../src/types.js';

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
