const DAY = 86_400_000;
/** The date part (`2023-11-14T`) of the last day formatted: windows come day after day. */
let cachedDay = NaN;
let cachedDate = '';

/** `1700000000000 -> "2023-11-14T22:13:20Z"` (ISO 8601 UTC, milliseconds only when non-zero). */
export function isoTime(ms: number): string {
  // Whole seconds after 1970 (every window bound): the clock time by arithmetic, the date
  // from a one-day cache; `toISOString` costs about a microsecond a call.
  if (ms >= 0 && ms <= 8.64e15 && ms % 1000 === 0) {
    const day = Math.floor(ms / DAY);
    if (day !== cachedDay) {
      const iso = new Date(day * DAY).toISOString();
      cachedDate = iso.slice(0, iso.indexOf('T') + 1);
      cachedDay = day;
    }
    const seconds = (ms - day * DAY) / 1000;
    return `${cachedDate}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}Z`;
  }
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `1700000000000 -> "22:13:20"` (UTC clock time). */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `1536 -> "1.5 KiB"`. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Rounds a rate to two decimals for display and JSON. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * A rule's value in its unit: `12.5/s`, `6.2%`, `480 ms`, `1.5 MiB/s`; a request rate with
 * `rateUnit` after it (the web page says ` req/s`).
 */
export function formatRuleValue(kind: 'rate' | 'errors' | 'latency' | 'bytes' | undefined, value: number, rateUnit = '/s'): string {
  switch (kind) {
    case 'errors':
      return `${round2(value * 100)}%`;
    case 'latency':
      return value < 1 ? `${round2(value * 1000)} ms` : `${round2(value)} s`;
    case 'bytes':
      return `${humanBytes(value)}/s`;
    default:
      return `${round2(value)}${rateUnit}`;
  }
}
