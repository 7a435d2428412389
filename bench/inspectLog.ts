/**
 * Profiles a log: line shapes, time zones, disorder, gaps, and what a "more than N req/s
 * over the last W seconds" alert would do. Used to check that the generated sample exercises
 * what the README demo needs; independent of the apachescan parser on purpose.
 */
import { MONTHS } from './vocabulary.js';

/** Common format, optionally followed by the Combined referer and user agent. */
export const ACCESS_LINE =
  /^(\S+) (\S+) (\S+) \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\] "([A-Z]+) (\S+) (HTTP\/\d\.\d)" (\d{3}) (\d+|-)( "[^"]*" "[^"]*")?$/;

export interface InspectOptions {
  /** Alert window in seconds. Default 120. */
  readonly alertWindow?: number;
  /** Alert threshold in requests per second (fires above, recovers at or below). Default 10. */
  readonly alertRate?: number;
  /** A line more than this many seconds behind the latest time seen counts as late. Default 20. */
  readonly lateAfter?: number;
}

export interface LogProfile {
  /** Non-empty lines. */
  readonly lines: number;
  readonly combined: number;
  readonly common: number;
  readonly malformed: number;
  /** Lines per written UTC offset, e.g. `{ "+0000": 5000, "+0200": 40 }`. */
  readonly zones: Readonly<Record<string, number>>;
  /** Earliest and latest event time, in seconds since the epoch. */
  readonly first: number;
  readonly last: number;
  /** Lines with a time before the latest time seen so far. */
  readonly outOfOrder: number;
  /** Lines more than `lateAfter` seconds behind the latest time seen so far. */
  readonly late: number;
  /** The largest lag behind the latest time seen, in seconds. */
  readonly maxLag: number;
  /** The longest stretch of event time without any line, in seconds. */
  readonly longestGap: number;
  /** The most lines in any alert window `[T - alertWindow, T)`. */
  readonly peakWindowHits: number;
  /** Alert transitions when evaluated at every whole second T. */
  readonly alertFires: number;
  readonly alertRecoveries: number;
}

const MONTH_INDEX = new Map(MONTHS.map((m, i) => [m, i]));

/** Event time of a matched line in seconds since the epoch, or NaN for an impossible date. */
function lineTime(m: RegExpExecArray): number {
  const month = MONTH_INDEX.get(m[5] ?? '');
  if (month === undefined) return Number.NaN;
  const local = Date.UTC(Number(m[6]), month, Number(m[4]), Number(m[7]), Number(m[8]), Number(m[9])) / 1000;
  const offset = (Number(m[11]) * 60 + Number(m[12])) * 60;
  return m[10] === '-' ? local + offset : local - offset;
}

export function inspectLog(lines: Iterable<string>, options: InspectOptions = {}): LogProfile {
  const { alertWindow = 120, alertRate = 10, lateAfter = 20 } = options;
  let count = 0;
  let combined = 0;
  let common = 0;
  let malformed = 0;
  const zones: Record<string, number> = {};
  let latest = Number.NEGATIVE_INFINITY;
  let outOfOrder = 0;
  let late = 0;
  let maxLag = 0;
  const perSecond = new Map<number, number>();

  for (const line of lines) {
    if (line.trim() === '') continue;
    count++;
    const m = ACCESS_LINE.exec(line);
    const time = m ? lineTime(m) : Number.NaN;
    if (!m || Number.isNaN(time)) {
      malformed++;
      continue;
    }
    if (m[18] === undefined) common++;
    else combined++;
    const zone = `${m[10]}${m[11]}${m[12]}`;
    zones[zone] = (zones[zone] ?? 0) + 1;
    perSecond.set(time, (perSecond.get(time) ?? 0) + 1);
    if (time < latest) {
      outOfOrder++;
      maxLag = Math.max(maxLag, latest - time);
      if (latest - time > lateAfter) late++;
    }
    latest = Math.max(latest, time);
  }

  const seconds = [...perSecond.keys()].sort((a, b) => a - b);
  const first = seconds[0] ?? Number.NaN;
  const last = seconds[seconds.length - 1] ?? Number.NaN;
  let longestGap = 0;
  for (let i = 1; i < seconds.length; i++) {
    longestGap = Math.max(longestGap, (seconds[i] as number) - (seconds[i - 1] as number) - 1);
  }

  // Sliding window over whole seconds: hits in [T - alertWindow, T) for every T.
  let inWindow = 0;
  let peakWindowHits = 0;
  let firing = false;
  let alertFires = 0;
  let alertRecoveries = 0;
  for (let t = first + 1; t <= last + alertWindow + 1; t++) {
    inWindow += (perSecond.get(t - 1) ?? 0) - (perSecond.get(t - 1 - alertWindow) ?? 0);
    peakWindowHits = Math.max(peakWindowHits, inWindow);
    const above = inWindow / alertWindow > alertRate;
    if (above && !firing) alertFires++;
    if (!above && firing) alertRecoveries++;
    firing = above;
  }

  return {
    lines: count,
    combined,
    common,
    malformed,
    zones,
    first,
    last,
    outOfOrder,
    late,
    maxLag,
    longestGap,
    peakWindowHits,
    alertFires,
    alertRecoveries,
  };
}
