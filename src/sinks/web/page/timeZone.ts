/** The time zone the page shows times in: UTC (the default, like the NDJSON) or the browser's. */
export type Zone = 'utc' | 'local';

const KEY = 'apachescan.zone';

export function savedZone(): Zone {
  try {
    return localStorage.getItem(KEY) === 'local' ? 'local' : 'utc';
  } catch {
    return 'utc';
  }
}

export function saveZone(zone: Zone): void {
  try {
    localStorage.setItem(KEY, zone);
  } catch {
    // file:// or private mode: not kept
  }
}

/** `2026-10-10 13:50:00` in the zone. */
export function formatTime(ms: number, zone: Zone): string {
  const d = new Date(ms);
  if (zone === 'utc') return d.toISOString().slice(0, 19).replace('T', ' ');
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `UTC` or `UTC+02:00` (the browser's offset now). */
export function zoneLabel(zone: Zone): string {
  if (zone === 'utc') return 'UTC';
  const off = -new Date().getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
