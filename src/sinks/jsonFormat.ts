import type { MonitorEvent } from '../types.js';
import { isoTime, round2 } from './timeFormat.js';

/**
 * One NDJSON line (no newline) per event, times in ISO 8601 UTC, rates to two decimals.
 * Invisible format characters from the log (bidi overrides, zero-width characters, U+2028)
 * are written as `\uHHHH` escapes: the same JSON value, harmless on a terminal.
 */
export function formatJson(event: MonitorEvent): string {
  const json = jsonOf(event);
  return INVISIBLE_TEST.test(json) ? json.replace(INVISIBLE, jsonEscape) : json;
}

// Single character classes, no quantifiers: linear on any input. (JSON.stringify already escapes C0 and lone surrogates.)
const INVISIBLE_TEST = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/u;
const INVISIBLE = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

/** `\uHHHH` per UTF-16 code unit (a character beyond U+FFFF becomes its surrogate pair). */
function jsonEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

function jsonOf(event: MonitorEvent): string {
  switch (event.type) {
    case 'stats':
      return JSON.stringify({
        type: 'stats',
        start: isoTime(event.start),
        end: isoTime(event.end),
        hits: event.hits,
        bytes: event.bytes,
        clients: event.hosts,
        // Deprecated alias of `clients` (the word the text, the live view and Prometheus use), kept for one release.
        hosts: event.hosts,
        sections: event.sections,
        status: event.status,
        invalid: event.invalid,
        late: event.late,
        ...(event.invalidReasons === undefined ? {} : { invalidReasons: event.invalidReasons }),
        ...(event.skipped === undefined ? {} : { skipped: event.skipped }),
        ...(event.by === undefined ? {} : { by: event.by }),
        // Each rule's value and state (its kind and thresholds are in its alerts and the backtest).
        ...(event.rules === undefined ? {} : { rules: event.rules.map(({ rule, value, firing }) => ({ rule, value, firing })) }),
      });
    case 'alert':
      return JSON.stringify({
        type: 'alert',
        state: event.state,
        at: isoTime(event.at),
        hits: event.hits,
        rate: round2(event.rate),
        threshold: event.threshold,
        // A rule's alert (absent for the built-in traffic alert): which rule, its kind, value and labels.
        ...(event.rule === undefined ? {} : { rule: event.rule, kind: event.kind, value: event.value }),
        ...(event.labels === undefined ? {} : { labels: event.labels }),
      });
    case 'summary':
      return JSON.stringify({
        type: 'summary',
        lines: event.lines,
        parsed: event.parsed,
        invalid: event.invalid,
        late: event.late,
        ...(event.invalidReasons === undefined ? {} : { invalidReasons: event.invalidReasons }),
        ...(event.held === undefined ? {} : { held: event.held }),
        ...(event.outOfRange === undefined ? {} : { outOfRange: event.outOfRange }),
      });
  }
}
