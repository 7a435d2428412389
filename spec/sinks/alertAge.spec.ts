import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertAgeGate, stepAlertAge, type AlertAgeState } from '../../src/sinks/alertAge.js';
import type { AlertEvent, MonitorEvent, StatsEvent, SummaryEvent } from '../../src/types.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const MAX = 10 * MIN;

const alert = (state: 'firing' | 'recovered', at: number): AlertEvent => ({
  type: 'alert',
  state,
  at,
  hits: 1300,
  rate: 10.8,
  threshold: 10,
});
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
const summary: SummaryEvent = { type: 'summary', lines: 1, parsed: 1, invalid: 0, late: 0 };

/** Runs the policy over `events` at the clock `now`; returns what was sent. */
function sent(events: readonly MonitorEvent[], now = NOW): AlertEvent[] {
  let state: AlertAgeState = {};
  const out: AlertEvent[] = [];
  for (const event of events) {
    const step = stepAlertAge(state, event, now, MAX);
    state = step.state;
    out.push(...step.send);
  }
  return out;
}

test('a transition dated within maxAge of the clock is sent at once', () => {
  const firing = alert('firing', NOW - 2 * MIN);
  assert.deepEqual(sent([firing]), [firing]);
  assert.deepEqual(sent([alert('firing', NOW - MAX)]), [alert('firing', NOW - MAX)], 'exactly maxAge old: still sent');
  assert.deepEqual(sent([alert('firing', NOW + MIN)]), [alert('firing', NOW + MIN)], 'dated ahead of the clock: sent');
});

test('an old burst that fired and recovered (a replay, a catch-up): nothing sent', () => {
  const old = NOW - 50 * 24 * 60 * MIN;
  assert.deepEqual(
    sent([stats(old), alert('firing', old), stats(old + 10_000), alert('recovered', old + MIN), stats(old + MIN), summary]),
    [],
  );
});

test('an old firing still on at the end of a replay: sent once at the summary, with its own time', () => {
  const old = NOW - 3 * 60 * MIN;
  const firing = alert('firing', old);
  let state: AlertAgeState = {};
  for (const event of [stats(old - 10_000), firing, stats(old + 10_000)]) {
    const step = stepAlertAge(state, event, NOW, MAX);
    assert.deepEqual(step.send, [], 'nothing before the end');
    state = step.state;
  }
  assert.deepEqual(stepAlertAge(state, summary, NOW, MAX).send, [firing]);
});

test('the catch-up ends at the first interval within maxAge of the clock: a firing still on is sent then, once', () => {
  const firing = alert('firing', NOW - 30 * MIN);
  const steps = [stats(NOW - 31 * MIN), firing, stats(NOW - 20 * MIN), stats(NOW - 5 * MIN), stats(NOW - 4 * MIN), summary];
  let state: AlertAgeState = {};
  const sends = steps.map((event) => {
    const step = stepAlertAge(state, event, NOW, MAX);
    state = step.state;
    return step.send;
  });
  assert.deepEqual(sends, [[], [], [], [firing], [], []]);
});

test('a live recovery after an old firing held back: the firing first (it was the state until then), then the recovery', () => {
  const firing = alert('firing', NOW - 30 * MIN);
  const recovered = alert('recovered', NOW - MIN);
  assert.deepEqual(sent([firing, recovered]), [firing, recovered]);
});

test('only the last old transition counts: an old recovery after an old firing leaves nothing, a live firing after it is sent alone', () => {
  const live = alert('firing', NOW - MIN);
  assert.deepEqual(sent([alert('firing', NOW - 40 * MIN), alert('recovered', NOW - 30 * MIN), live]), [live]);
});

test('the gate: Infinity sends every transition; end() gives a held firing once; the first hold is said once', () => {
  const all = createAlertAgeGate(Infinity, () => NOW);
  const old = alert('firing', 0);
  assert.deepEqual(all.next(old), [old]);
  assert.deepEqual(all.next(stats(0)), []);
  let said = 0;
  const gate = createAlertAgeGate(
    MAX,
    () => NOW,
    () => said++,
  );
  assert.deepEqual(gate.next(old), []);
  assert.deepEqual(gate.next(alert('recovered', 1)), []);
  const again = alert('firing', 2);
  assert.deepEqual(gate.next(again), []);
  assert.equal(said, 1);
  assert.equal(gate.heldBack, 3);
  assert.deepEqual(gate.end(), [again]);
  assert.deepEqual(gate.end(), []);
});

test('the clock is read at each event: a transition gets old as time passes', () => {
  let now = NOW;
  const gate = createAlertAgeGate(MAX, () => now);
  const firing = alert('firing', NOW);
  now = NOW + MAX + 1;
  assert.deepEqual(gate.next(firing), []);
  now = NOW + 1;
  assert.deepEqual(
    gate.next(alert('recovered', NOW)),
    [firing, alert('recovered', NOW)],
    'fresh by the clock now: the held firing, then it',
  );
});
