import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_HISTORY, HISTORY, initialViewState, reduceView, type ViewState } from '../../../src/sinks/tty/index.js';
import type { AlertEvent, MonitorEvent, StatsEvent } from '../../../src/types.js';

const T0 = Date.UTC(2026, 0, 1);
const config = { file: 'access.log', mode: 'follow', threshold: 1, alertWindow: 30_000 } as const;

function stats(i: number, hits: number, extra: Partial<StatsEvent> = {}): StatsEvent {
  const start = T0 + i * 10_000;
  return { type: 'stats', start, end: start + 10_000, hits, bytes: 0, hosts: 0, sections: [], status: {}, invalid: 0, late: 0, ...extra };
}

function alert(state: 'firing' | 'recovered', i: number, hits: number): AlertEvent {
  return { type: 'alert', state, at: T0 + i * 10_000, hits, rate: hits / 30, threshold: 1 };
}

const run = (events: readonly MonitorEvent[]): ViewState => events.reduce(reduceView, initialViewState(config));

test('the initial state: no intervals, no rate, not firing, zero totals', () => {
  const s = initialViewState(config);
  assert.deepEqual(s.intervals, []);
  assert.equal(s.rate, undefined);
  assert.equal(s.firing, false);
  assert.deepEqual(s.totals, { lines: 0, parsed: 0, invalid: 0, late: 0, final: false });
});

test('the rate averages the hits of the intervals inside the alert window over the whole window', () => {
  // alertWindow 30 s = 3 intervals; the rate at T = end counts [T - 30 s, T).
  assert.equal(run([stats(0, 30)]).rate, 1, 'a partial window still divides by 30 s');
  assert.equal(run([stats(0, 30), stats(1, 60)]).rate, 3);
  assert.equal(run([stats(0, 30), stats(1, 60), stats(2, 0), stats(3, 15)]).rate, 2.5, 'interval 0 has left the window');
  assert.deepEqual(
    run([stats(0, 30), stats(1, 60), stats(2, 0), stats(3, 15)]).window.map((w) => w.hits),
    [60, 0, 15],
  );
});

test('alerts set the state, keep the last five transitions and leave the reducer pure', () => {
  const before = run([stats(0, 90)]);
  const after = reduceView(before, alert('firing', 1, 90));
  assert.equal(before.firing, false, 'the old state is not changed');
  assert.equal(after.firing, true);
  assert.equal(after.rate, 3);
  assert.equal(reduceView(after, alert('recovered', 2, 20)).firing, false);
  const many = Array.from({ length: 8 }, (_, i) => alert(i % 2 === 0 ? 'firing' : 'recovered', i, i));
  const s = run(many);
  assert.equal(s.alerts.length, ALERT_HISTORY);
  assert.deepEqual(
    s.alerts.map((a) => a.hits),
    [3, 4, 5, 6, 7],
    'oldest first, newest kept',
  );
});

test('the table keeps the last HISTORY intervals', () => {
  const s = run(Array.from({ length: HISTORY + 7 }, (_, i) => stats(i, i)));
  assert.equal(s.intervals.length, HISTORY);
  assert.equal(s.intervals[0]?.hits, 7);
  assert.equal(s.intervals[HISTORY - 1]?.hits, HISTORY + 6);
});

test('totals add up from closed intervals until the summary gives the exact ones', () => {
  const s = run([stats(0, 10, { invalid: 2, late: 1 }), stats(1, 5, { invalid: 1 })]);
  assert.deepEqual(s.totals, { lines: 19, parsed: 16, invalid: 3, late: 1, final: false }, 'lines = parsed + invalid; late among parsed');
  const done = reduceView(s, { type: 'summary', lines: 30, parsed: 26, invalid: 4, late: 2 });
  assert.deepEqual(done.totals, { lines: 30, parsed: 26, invalid: 4, late: 2, final: true });
  const stopped = reduceView(s, { type: 'summary', lines: 30, parsed: 26, invalid: 4, late: 2, held: 15 });
  assert.deepEqual(
    stopped.totals,
    { lines: 30, parsed: 26, invalid: 4, late: 2, final: true, held: 15 },
    'lines held for the next run are shown',
  );
});
