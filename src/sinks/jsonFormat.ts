import type { MonitorEvent } from '../types.js';
import { isoTime, round2 } from './timeFormat.js';

/** One NDJSON line (no newline) per event, times in ISO 8601 UTC, rates to two decimals. */
export function formatJson(event: MonitorEvent): string {
  switch (event.type) {
    case 'stats':
      return JSON.stringify({
        type: 'stats',
        start: isoTime(event.start),
        end: isoTime(event.end),
        hits: event.hits,
        bytes: event.bytes,
        hosts: event.hosts,
        sections: event.sections,
        status: event.status,
        invalid: event.invalid,
        late: event.late,
        ...(event.skipped === undefined ? {} : { skipped: event.skipped }),
      });
    case 'alert':
      return JSON.stringify({
        type: 'alert',
        state: event.state,
        at: isoTime(event.at),
        hits: event.hits,
        rate: round2(event.rate),
        threshold: event.threshold,
      });
    case 'summary':
      return JSON.stringify({ type: 'summary', lines: event.lines, parsed: event.parsed, invalid: event.invalid, late: event.late, ...(event.held === undefined ? {} : { held: event.held }) });
  }
}
