import { parseApacheTime } from '../parse/apacheTime.js';
import { UsageError } from './usageError.js';

/** `2026-10-10`, `2026-10-10T13:55`, `2026-10-10T13:55:36.5Z`, `2026-10-10 13:55:36+02:00`. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A `--since`/`--until` value in ms since the epoch: ISO 8601 (a date, or a date and time;
 * no zone means UTC) or Apache's `%t` (`10/Oct/2026:13:55:36 +0000`, brackets optional).
 */
export function timeArg(name: string): (value: unknown) => number {
  return (value) => {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    const text = String(last).trim();
    const ms = parseIso(text) ?? parseApacheTime(text);
    if (ms === undefined)
      throw new UsageError(`--${name} must be a time like 2026-10-10T13:55:36Z or 10/Oct/2026:13:55:36 +0000, got '${String(last)}'`);
    return ms;
  };
}

function parseIso(text: string): number | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x)));
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (new Date(utc).getUTCDate() !== day) return undefined;
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  if (offset > 18 * 60 || Number(digits.slice(2)) > 59) return undefined;
  return utc - sign * offset * 60_000;
}
