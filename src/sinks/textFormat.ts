import type { AlertEvent, MonitorEvent, StatsEvent, SummaryEvent } from '../types.js';
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
    `${s.hits} hits`,
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
  const held = s.held === undefined ? '' : `; ${s.held} more ${s.held === 1 ? 'line' : 'lines'} held in open windows for the next run`;
  return `Summary: ${s.lines} lines, ${s.parsed} parsed, ${s.invalid} invalid, ${s.late} late${held}`;
}
