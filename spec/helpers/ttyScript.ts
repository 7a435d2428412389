import type { AlertEvent, MonitorEvent, SectionHits, StatsEvent, SummaryEvent } from '../../src/types.js';

// A deterministic sequence of engine events for the live-view tests and the demo: 10 s
// intervals at about 5 req/s, a burst at about 19 req/s that fires the alert and recovers,
// a second burst that fires again, a section name full of escape sequences, some invalid
// and late lines. Alerts are evaluated as the engine does (rate over the last 2 minutes).

export const T0 = Date.UTC(2026, 0, 1);
export const INTERVAL = 10_000;
export const ALERT_WINDOW = 120_000;
export const THRESHOLD = 10;
export const COUNT = 44;
export const FILE = '/var/log/apache2/access.log';
/** A section name that would turn the terminal red and ring the bell if printed raw. */
export const HOSTILE = '/\x1b[31mred\x07';
/** How it must appear on screen. */
export const HOSTILE_ESCAPED = '/\\x1b[31mred\\x07';

const SECTIONS: readonly [string, number][] = [
  ['/api', 0.42],
  ['/static', 0.24],
  ['/login', 0.13],
  [HOSTILE, 0.09],
  ['/a-very-long-section-name-that-keeps-going-and-going', 0.07],
  ['/images', 0.05],
];

function hitsAt(i: number): number {
  const burst = (i >= 12 && i < 25) || (i >= 35 && i < 44);
  return burst ? 185 + ((i * 7) % 5) * 6 : 50 + Math.round(12 * Math.sin(i / 2));
}

function statsAt(i: number): StatsEvent {
  const hits = hitsAt(i);
  const start = T0 + i * INTERVAL;
  const sections: SectionHits[] = SECTIONS.map(([name, share]) => ({ name, hits: Math.round(hits * share) }))
    .sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, 5);
  const e5 = hits > 100 ? Math.round(hits * 0.04) : i % 9 === 4 ? 1 : 0;
  const e4 = Math.round(hits * 0.06);
  const e3 = Math.round(hits * 0.05);
  return {
    type: 'stats',
    start,
    end: start + INTERVAL,
    hits,
    bytes: hits * 2311 + i * 97,
    hosts: Math.round(hits / 8) + 3,
    sections,
    status: { '2xx': hits - e3 - e4 - e5, '3xx': e3, '4xx': e4, ...(e5 > 0 ? { '5xx': e5 } : {}) },
    invalid: i % 7 === 3 ? 1 : 0,
    late: i % 11 === 5 ? 2 : 0,
  };
}

/** The stats and alert events of the whole script, in engine order. */
export function scriptEvents(count = COUNT): MonitorEvent[] {
  const events: MonitorEvent[] = [];
  const window: number[] = [];
  let firing = false;
  for (let i = 0; i < count; i++) {
    const s = statsAt(i);
    events.push(s);
    window.push(s.hits);
    if (window.length > ALERT_WINDOW / INTERVAL) window.shift();
    const hits = window.reduce((a, b) => a + b, 0);
    const rate = hits / (ALERT_WINDOW / 1000);
    if (firing !== rate > THRESHOLD) {
      firing = !firing;
      const alert: AlertEvent = { type: 'alert', state: firing ? 'firing' : 'recovered', at: s.end, hits, rate, threshold: THRESHOLD };
      events.push(alert);
    }
  }
  return events;
}

/** The summary the engine would send at the end of the script. */
export function scriptSummary(events: readonly MonitorEvent[]): SummaryEvent {
  let parsed = 0;
  let invalid = 0;
  let late = 0;
  for (const e of events) {
    if (e.type !== 'stats') continue;
    parsed += e.hits + e.late;
    invalid += e.invalid;
    late += e.late;
  }
  return { type: 'summary', lines: parsed + invalid, parsed, invalid, late };
}
