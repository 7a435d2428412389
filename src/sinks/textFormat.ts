import type { AlertEvent, InvalidReason, MonitorEvent, StatsEvent, SummaryEvent } from '../types.js';
import { describeReason } from '../invalidReasons.js';
import { escapeControl } from './escapeControl.js';
import { clockTime, humanBytes, isoTime } from './timeFormat.js';

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

/** The exact alert and recovery wording. */
export function formatAlert(event: AlertEvent): string {
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
  return lines.join('\n');
}

function formatSummary(s: SummaryEvent): string {
  const reasons = Object.entries(s.invalidReasons ?? {}).map(([reason, n]) => `${n} ${describeReason(reason as InvalidReason)}`);
  const invalid = reasons.length === 0 ? `${s.invalid} invalid` : `${s.invalid} invalid (${reasons.join(', ')})`;
  const held = s.held === undefined ? '' : `; ${s.held} more ${s.held === 1 ? 'line' : 'lines'} held in open windows for the next run`;
  return `Summary: ${count(s.lines, 'line')}, ${s.parsed} parsed, ${invalid}, ${s.late} late${held}`;
}

/** `1 line`, `2 lines`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
