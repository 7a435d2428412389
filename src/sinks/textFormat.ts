import type { AlertEvent, InvalidReason, MonitorEvent, StatsEvent, SummaryEvent } from '../types.js';
import { describeReason } from '../invalidReasons.js';
import { escapeControl } from './escapeControl.js';
import { clockTime, formatRuleValue, humanBytes, isoTime } from './timeFormat.js';

/** Plain, stable text for one event (may span lines; no trailing newline). */
export function formatText(event: MonitorEvent): string {
  switch (event.type) {
    case 'stats':
      return formatStats(event);
    case 'alert':
      return formatAlert(event);
    case 'summary':
      return formatSummary(event);
  }
}

/** The exact alert and recovery wording (a rule's names the rule and says its value against its threshold). */
export function formatAlert(event: AlertEvent): string {
  if (event.rule !== undefined) return formatRuleAlert(event);
  return event.state === 'firing'
    ? `High traffic generated an alert - hits = ${event.hits}, triggered at ${isoTime(event.at)}`
    : `Traffic recovered - hits = ${event.hits}, recovered at ${isoTime(event.at)}`;
}

function formatStats(s: StatsEvent): string {
  const head = [
    `${isoTime(s.start).slice(0, 10)} ${clockTime(s.start)}-${clockTime(s.end)} UTC`,
    count(s.hits, 'hit'),
    humanBytes(s.bytes),
    `${s.hosts} ${s.hosts === 1 ? 'client' : 'clients'}`,
  ];
  const classes = Object.entries(s.status).map(([cls, n]) => `${cls} ${n}`);
  if (classes.length > 0) head.push(classes.join(' '));
  if (s.invalid > 0) head.push(`${s.invalid} invalid`);
  if (s.late > 0) head.push(`${s.late} late`);
  const lines = s.skipped === undefined ? [] : [`(${s.skipped} empty intervals skipped: gap in the log)`];
  lines.push(head.join(' | '));
  if (s.sections.length > 0) {
    lines.push(`  top: ${s.sections.map((x) => `${escapeControl(x.name)} ${x.hits}`).join(', ')}`);
  }
  if (s.by !== undefined && s.by.length > 0) {
    lines.push(`  by: ${s.by.map((x) => `${escapeControl(x.name)} ${x.hits}`).join(', ')}`);
  }
  return lines.join('\n');
}

function formatSummary(s: SummaryEvent): string {
  const reasons = Object.entries(s.invalidReasons ?? {}).map(([reason, n]) => `${n} ${describeReason(reason as InvalidReason)}`);
  const invalid = reasons.length === 0 ? `${s.invalid} invalid` : `${s.invalid} invalid (${reasons.join(', ')})`;
  const held = s.held === undefined ? '' : `; ${s.held} more ${s.held === 1 ? 'line' : 'lines'} held in open windows for the next run`;
  const range = s.outOfRange === undefined ? '' : `, ${s.outOfRange} outside --since/--until`;
  return `Summary: ${count(s.lines, 'line')}, ${s.parsed} parsed, ${invalid}, ${s.late} late${range}${held}`;
}

/**
 * Whether a stats event says nothing but "no traffic": no hit, no invalid or late line, no
 * breakdown. The text output collapses runs of them (see `createTextSink`).
 */
export function isEmptyInterval(s: StatsEvent): boolean {
  return s.hits === 0 && s.invalid === 0 && s.late === 0 && (s.by === undefined || s.by.length === 0);
}

/**
 * One line for a run of `count` empty intervals (emitted or skipped) covering `[start, end)`:
 * `2026-10-10 13:58:00 – 2026-10-13 09:00:00 UTC: no traffic for 2 days 19 h (24,300 empty intervals)`.
 */
export function formatEmptyRun(start: number, end: number, count: number): string {
  const at = (ms: number): string => `${isoTime(ms).slice(0, 10)} ${clockTime(ms)}`;
  return `${at(start)} – ${at(end)} UTC: no traffic for ${humanDuration(end - start)} (${count.toLocaleString('en-US')} empty intervals)`;
}

/** `40 s`, `5 min 30 s`, `3 h 20 min`, `2 days 19 h`: the two largest units, the smaller left out when 0. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const units: Array<[number, (n: number) => string]> = [
    [86_400, (n) => count(n, 'day')],
    [3600, (n) => `${n} h`],
    [60, (n) => `${n} min`],
    [1, (n) => `${n} s`],
  ];
  for (let u = 0; u < units.length - 1; u++) {
    const [size, big] = units[u] as [number, (n: number) => string];
    if (seconds < size) continue;
    const [smallSize, small] = units[u + 1] as [number, (n: number) => string];
    const rest = Math.floor((seconds % size) / smallSize);
    return rest === 0 ? big(Math.floor(seconds / size)) : `${big(Math.floor(seconds / size))} ${small(rest)}`;
  }
  return `${seconds} s`;
}

/** `1 line`, `2 lines`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `Rule errors fired - 6.2% > 5% (1234 requests), triggered at ...` / `Rule errors recovered - 1.1% <= 5% (...), recovered at ...`. */
function formatRuleAlert(event: AlertEvent): string {
  const value = formatRuleValue(event.kind, event.value ?? 0);
  const threshold = formatRuleValue(event.kind, event.threshold);
  const requests = count(event.hits, 'request');
  return event.state === 'firing'
    ? `Rule ${event.rule} fired - ${value} > ${threshold} (${requests}), triggered at ${isoTime(event.at)}`
    : `Rule ${event.rule} recovered - ${value} <= ${threshold} (${requests}), recovered at ${isoTime(event.at)}`;
}
