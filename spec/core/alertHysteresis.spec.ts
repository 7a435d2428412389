import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertState, evaluateAlert, type IntervalHits } from '../../src/core/alertHysteresis.js';
import type { AlertEvent } from '../../src/types.js';
import { MonitorOptionsError } from '../../src/errors.js';

/** Feeds 10 s intervals starting at 0 with the given hits; returns the transitions. */
function run(hits: number[], options = { alertWindow: 120_000, threshold: 10 }): AlertEvent[] {
  const state = createAlertState(options);
  const out: AlertEvent[] = [];
  hits.forEach((h, i) => {
    const interval: IntervalHits = { start: i * 10_000, end: (i + 1) * 10_000, hits: h };
    const alert = evaluateAlert(state, interval);
    if (alert) out.push(alert);
  });
  return out;
}

test('fires when the 2-minute average exceeds the threshold, at the end of that interval', () => {
  // 12 intervals of 100 hits = 1200 / 120 s = 10 req/s: not above. One more hit tips it.
  assert.deepEqual(run(Array(12).fill(100)), []);
  const events = run([...Array(11).fill(100), 101]);
  assert.deepEqual(events, [{ type: 'alert', state: 'firing', at: 120_000, hits: 1201, rate: 1201 / 120, threshold: 10 }]);
});

test('recovers when the average falls back to the threshold, not before', () => {
  // Fire at 120 s with 1201 hits, then intervals of 100 push the oldest 100 out: stays 1201 until
  // the 101-hit interval leaves the window at 240 s.
  const events = run([...Array(11).fill(100), 101, ...Array(12).fill(100)]);
  assert.equal(events.length, 2);
  assert.deepEqual(events[1], { type: 'alert', state: 'recovered', at: 240_000, hits: 1200, rate: 10, threshold: 10 });
});

test('does not flap around the threshold with a lower recover threshold (hysteresis)', () => {
  const hits = [...Array(11).fill(100), 101, 99, 101, 99, 101, 99, 101];
  const withoutHysteresis = run(hits);
  const withHysteresis = run(hits, { alertWindow: 120_000, threshold: 10, recoverThreshold: 9 } as never);
  assert.ok(withoutHysteresis.length > 2, 'a single threshold flaps');
  assert.deepEqual(withHysteresis.map((e) => e.state), ['firing']);
});

test('recovers across a silent gap: missing intervals count as zero hits', () => {
  const state = createAlertState({ alertWindow: 120_000, threshold: 10 });
  const fired = evaluateAlert(state, { start: 0, end: 10_000, hits: 2000 });
  assert.equal(fired?.state, 'firing');
  // Next interval an hour later: the burst is long out of the window.
  const recovered = evaluateAlert(state, { start: 3_600_000, end: 3_610_000, hits: 5 });
  assert.deepEqual(recovered, { type: 'alert', state: 'recovered', at: 3_610_000, hits: 5, rate: 5 / 120, threshold: 10 });
});

test('fires again after a recovery', () => {
  const events = run([1300, ...Array(12).fill(0), 1300]);
  assert.deepEqual(events.map((e) => [e.state, e.at]), [['firing', 10_000], ['recovered', 130_000], ['firing', 140_000]]);
});

test('rejects inconsistent options', () => {
  assert.throws(() => createAlertState({ alertWindow: 0, threshold: 10 }), MonitorOptionsError);
  assert.throws(() => createAlertState({ alertWindow: 120_000, threshold: -1 }), MonitorOptionsError);
  assert.throws(() => createAlertState({ alertWindow: 120_000, threshold: 10, recoverThreshold: 11 }), MonitorOptionsError);
});
