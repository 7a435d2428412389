/**
 * Hand-written parser for Apache's `%t`: `[10/Oct/2000:13:55:36 -0700]`, brackets optional.
 * Strict layout (two-digit day, English month abbreviation, four-digit year); impossible
 * dates, hours, minutes, seconds and offsets are rejected. No `Date.parse`, no allocation on
 * the hot path: lines of one second share their text, so the last result is cached.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Length of `10/Oct/2000:13:55:36 -0700`. */
const TIME_LENGTH = 26;
/**
 * Accepted UTC offsets, in minutes: the ones in use on Earth, -12:00 (Baker Island) to +14:00
 * (Line Islands). An absurd offset such as -1800 would move a line by a day and make every
 * later line late, so the line is invalid instead.
 */
const MAX_EAST = 14 * 60;
const MAX_WEST = 12 * 60;

/** The last valid time text seen (char codes) and its value: lines share their second. */
const cachedText = new Uint16Array(TIME_LENGTH);
let cachedTime = NaN;

/**
 * Parses `%t` text (with or without the brackets) into ms since the epoch.
 * @returns the instant, or `undefined` for anything that is not a real Apache time.
 */
export function parseApacheTime(text: string): number | undefined {
  const time = apacheTimeAt(text, 0, text.length);
  return Number.isNaN(time) ? undefined : time;
}

/** Hot-path form of {@link parseApacheTime} over `line[start, end)`; `NaN` when invalid. */
export function apacheTimeAt(line: string, start: number, end: number): number {
  if (end - start === TIME_LENGTH + 2) {
    if (line.charCodeAt(start) !== 0x5b || line.charCodeAt(end - 1) !== 0x5d) return NaN;
    start++;
    end--;
  }
  if (end - start !== TIME_LENGTH) return NaN;
  if (!Number.isNaN(cachedTime) && isCached(line, start)) return cachedTime;
  const time = computeTime(line, start);
  if (!Number.isNaN(time)) {
    for (let k = 0; k < TIME_LENGTH; k++) cachedText[k] = line.charCodeAt(start + k);
    cachedTime = time;
  }
  return time;
}

/** Compared from the seconds backwards: consecutive lines usually differ there first. */
function isCached(line: string, start: number): boolean {
  for (let k = TIME_LENGTH - 1; k >= 0; k--) {
    if (line.charCodeAt(start + k) !== cachedText[k]) return false;
  }
  return true;
}

function computeTime(s: string, i: number): number {
  if (s.charCodeAt(i + 2) !== 0x2f || s.charCodeAt(i + 6) !== 0x2f) return NaN; // '/'
  if (s.charCodeAt(i + 11) !== 0x3a || s.charCodeAt(i + 14) !== 0x3a) return NaN; // ':'
  if (s.charCodeAt(i + 17) !== 0x3a || s.charCodeAt(i + 20) !== 0x20) return NaN; // ':' ' '
  const day = digits(s, i, 2);
  const month = monthAt(s, i + 3);
  const year = digits(s, i + 7, 4);
  const hour = digits(s, i + 12, 2);
  const minute = digits(s, i + 15, 2);
  const second = digits(s, i + 18, 2);
  const sign = s.charCodeAt(i + 21);
  const offset = digits(s, i + 22, 2) * 60 + digits(s, i + 24, 2);
  // Written as !(x <= max) so that a NaN from a non-digit fails every check.
  if (month < 0 || !(year >= 0) || !(hour <= 23) || !(minute <= 59) || !(second <= 59)) return NaN;
  if (!(day >= 1 && day <= daysIn(year, month))) return NaN;
  if (!(digits(s, i + 24, 2) <= 59) || (sign !== 0x2b && sign !== 0x2d) || !(offset <= (sign === 0x2b ? MAX_EAST : MAX_WEST))) {
    return NaN;
  }
  const local = daysFromCivil(year, month + 1, day) * 86_400_000 + (hour * 3600 + minute * 60 + second) * 1000;
  return local - (sign === 0x2b ? offset : -offset) * 60_000;
}

/** Value of `count` ASCII digits at `i`, or NaN. */
function digits(s: string, i: number, count: number): number {
  let value = 0;
  for (let k = i; k < i + count; k++) {
    const d = s.charCodeAt(k) - 0x30;
    if (!(d >= 0 && d <= 9)) return NaN;
    value = value * 10 + d;
  }
  return value;
}

/** 0-based month of the three letters at `i`, or -1. */
function monthAt(s: string, i: number): number {
  for (let m = 0; m < 12; m++) {
    if (s.startsWith(MONTHS[m] as string, i)) return m;
  }
  return -1;
}

function daysIn(year: number, month: number): number {
  if (month === 1 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month] ?? 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}
