/** Reading numeric fields in place, without building strings. */

/** `%s` / `%>s`: exactly three digits, 100..999; NaN otherwise. */
export function statusAt(line: string, start: number, end: number): number {
  if (end - start !== 3) return NaN;
  const a = line.charCodeAt(start) - 0x30;
  const b = line.charCodeAt(start + 1) - 0x30;
  const c = line.charCodeAt(start + 2) - 0x30;
  if (!(a >= 1 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9)) return NaN;
  return a * 100 + b * 10 + c;
}

/** Most digits a byte count may have (stays below 2^53). */
const MAX_DIGITS = 15;

/** `%b` / `%B` / `%O`: decimal digits, or `-` meaning 0; NaN otherwise. */
export function bytesAt(line: string, start: number, end: number): number {
  if (end - start === 1 && line.charCodeAt(start) === 0x2d) return 0;
  if (end <= start || end - start > MAX_DIGITS) return NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = line.charCodeAt(i) - 0x30;
    if (!(d >= 0 && d <= 9)) return NaN;
    value = value * 10 + d;
  }
  return value;
}
