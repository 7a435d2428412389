import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson } from '../../../src/sinks/jsonFormat.js';
import { EventHistory } from '../../../src/sinks/web/history.js';
import type { AlertEvent, StatsEvent, SummaryEvent } from '../../../src/types.js';

const stats = (end: number): StatsEvent => ({
  type: 'stats',
  start: end - 10_000,
  end,
  hits: 1,
  bytes: 1,
  hosts: 1,
  sections: [],
  status: {},
  invalid: 0,
  late: 0,
});
const alert = (at: number): AlertEvent => ({ type: 'alert', state: 'firing', at, hits: 1, rate: 1, threshold: 0 });

test('keeps the intervals of the last hour of event time, in arrival order, then the alerts and the latest summary', () => {
  const h = new EventHistory();
  for (let i = 1; i <= 1000; i++) h.add(stats(i * 10_000), `s${i}`);
  h.add(alert(5), 'a1');
  const summary: SummaryEvent = { type: 'summary', lines: 1, parsed: 1, invalid: 0, late: 0 };
  h.add(summary, 'sum1');
  h.add(summary, 'sum2');
  const lines = h.lines();
  // An hour of 10 s intervals: those that ended after 10 000 s - 3600 s.
  assert.equal(h.intervals, 360);
  assert.deepEqual(lines.slice(0, 2), ['s641', 's642']);
  assert.deepEqual(lines.slice(-3), ['s1000', 'a1', 'sum2']);
});

test('bounded whatever the interval: at most maxIntervals intervals and maxAlerts alerts', () => {
  const h = new EventHistory({ maxIntervals: 50, maxAlerts: 3 });
  for (let i = 1; i <= 10_000; i++) h.add(stats(i), `s${i}`);
  for (let i = 1; i <= 10; i++) h.add(alert(i), `a${i}`);
  assert.equal(h.intervals, 50);
  const lines = h.lines();
  assert.equal(lines[0], 's9951');
  assert.deepEqual(lines.slice(-3), ['a8', 'a9', 'a10']);
});

test('numbers the stats events it takes; oldestRetained is the number of the oldest still kept', () => {
  const h = new EventHistory({ maxIntervals: 50 });
  assert.equal(h.oldestRetained, 0);
  const numbers = [];
  for (let i = 1; i <= 120; i++) numbers.push(h.add(stats(i * 10_000), `s${i}`));
  assert.deepEqual(
    numbers,
    Array.from({ length: 120 }, (_, i) => i),
  );
  assert.equal(h.add(alert(5), 'a1'), undefined);
  assert.equal(h.oldestRetained, 70);
  assert.equal(h.lines()[0], 's71', 'number 70 is the 71st');
  assert.deepEqual([h.statsLine(69), h.statsLine(70), h.statsLine(119), h.statsLine(120)], [undefined, 's71', 's120', undefined]);
});

test('stats given without their line are formatted when asked for, only those still retained, once each', () => {
  const h = new EventHistory({ maxIntervals: 50 });
  let formatted = 0;
  const events = Array.from({ length: 1000 }, (_, i) => {
    const e = stats((i + 1) * 10_000);
    // formatJson reads `hits` once per event: count it.
    return Object.defineProperty({ ...e }, 'hits', {
      enumerable: true,
      get: () => {
        formatted++;
        return e.hits;
      },
    });
  });
  for (const e of events) h.add(e);
  assert.equal(formatted, 0, 'nothing formatted while adding');
  const lines = h.lines();
  assert.equal(formatted, 50, 'the 50 retained');
  assert.equal(h.statsLine(h.oldestRetained), lines[0]);
  assert.deepEqual(h.lines(), lines);
  assert.equal(formatted, 50, 'each line made once');
  assert.deepEqual(lines, events.slice(-50).map(formatJson));
});
