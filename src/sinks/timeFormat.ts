/** `1700000000000 -> "2023-11-14T22:13:20Z"` (ISO 8601 UTC, milliseconds only when non-zero). */
export function isoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
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
