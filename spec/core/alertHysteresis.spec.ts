import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertState, evaluateAlert, recoverInGap, type IntervalHits } from '../../src/core/alertHysteresis.js';
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
  assert.deepEqual(
    withHysteresis.map((e) => e.state),
    ['firing'],
  );
});

test('recovers across a silent gap: missing intervals count as zero hits', () => {
  const state = createAlertState({ alertWindow: 120_000, threshold: 10 });
  const fired = evaluateAlert(state, { start: 0, end: 10_000, hits: 2000 });
  assert.equal(fired?.state, 'firing');
  // Next interval an hour later: the burst is long out of the window.
  const recovered = evaluateAlert(state, { start: 3_600_000, end: 3_610_000, hits: 5 });
  assert.deepEqual(recovered, { type: 'alert', state: 'recovered', at: 3_610_000, hits: 5, rate: 5 / 120, threshold: 10 });
});

test('recoverInGap: recovers at the first missing interval where the rate is low enough, not at the next one seen', () => {
  // 1 s intervals, a 9000 s window, threshold 0.1 req/s: 1000 hits at 0 fire (1000 / 9000 > 0.1).
  const state = createAlertState({ alertWindow: 9_000_000, threshold: 0.1 });
  assert.equal(evaluateAlert(state, { start: 0, end: 1000, hits: 1000 })?.state, 'firing');
  // 8640 empty intervals seen, then the windowing skips to a window three days later.
  for (let s = 1; s <= 8640; s++) assert.equal(evaluateAlert(state, { start: s * 1000, end: (s + 1) * 1000, hits: 0 }), undefined);
  const later: IntervalHits = { start: 259_189_000, end: 259_190_000, hits: 0 };
  // The burst leaves the window once its start is before T - 9000 s: T = 9001 s, missing interval [9000, 9001).
  assert.deepEqual(recoverInGap(state, later), { type: 'alert', state: 'recovered', at: 9_001_000, hits: 0, rate: 0, threshold: 0.1 });
  assert.equal(state.firing, false);
  assert.equal(evaluateAlert(state, later), undefined, 'recovered once');
});

test('recoverInGap: the rate falls in steps; the first missing end at or below the recover threshold wins', () => {
  // 10 s intervals, 60 s window, threshold 1 req/s, recover at 0.5: 70 hits (fires at 10 s), 30, then a gap.
  const state = createAlertState({ alertWindow: 60_000, threshold: 1, recoverThreshold: 0.5 });
  assert.equal(evaluateAlert(state, { start: 0, end: 10_000, hits: 70 })?.state, 'firing');
  assert.equal(evaluateAlert(state, { start: 10_000, end: 20_000, hits: 30 }), undefined);
  // At 70 s the 70 leave (30 / 60 s = 0.5 <= 0.5): recovered there, with the 30 still counted.
  const next: IntervalHits = { start: 500_000, end: 510_000, hits: 100 };
  assert.deepEqual(recoverInGap(state, next), { type: 'alert', state: 'recovered', at: 70_000, hits: 30, rate: 0.5, threshold: 0.5 });
  // The interval after the gap is then evaluated as usual: 100 / 60 s fires again.
  assert.deepEqual(evaluateAlert(state, next)?.state, 'firing');
});

test('recoverInGap: nothing without a gap, when not firing, or when the recovery falls at or after the next interval', () => {
  const state = createAlertState({ alertWindow: 60_000, threshold: 1 });
  assert.equal(recoverInGap(state, { start: 0, end: 10_000, hits: 0 }), undefined, 'not firing');
  evaluateAlert(state, { start: 0, end: 10_000, hits: 100 });
  assert.equal(recoverInGap(state, { start: 10_000, end: 20_000, hits: 0 }), undefined, 'no gap');
  // The 100 leave the window at 70 s, the end of [60, 70): the next interval itself, evaluateAlert's part.
  assert.equal(recoverInGap(state, { start: 60_000, end: 70_000, hits: 0 }), undefined);
  assert.equal(state.firing, true);
  assert.equal(evaluateAlert(state, { start: 60_000, end: 70_000, hits: 0 })?.at, 70_000);
});

test('fires again after a recovery', () => {
  const events = run([1300, ...Array(12).fill(0), 1300]);
  assert.deepEqual(
    events.map((e) => [e.state, e.at]),
    [
      ['firing', 10_000],
      ['recovered', 130_000],
      ['firing', 140_000],
    ],
  );
});

test('rejects inconsistent options', () => {
  assert.throws(() => createAlertState({ alertWindow: 0, threshold: 10 }), MonitorOptionsError);
  assert.throws(() => createAlertState({ alertWindow: 120_000, threshold: -1 }), MonitorOptionsError);
  assert.throws(() => createAlertState({ alertWindow: 120_000, threshold: 10, recoverThreshold: 11 }), MonitorOptionsError);
});
