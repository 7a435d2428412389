import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRuleState, evaluateRule, restoreRuleStates, saveRuleStates, type RuleInterval } from '../../../src/core/rules/ruleState.js';
import type { Rule } from '../../../src/core/rules/rule.js';
import type { AlertEvent } from '../../../src/types.js';

/** A 10 s interval starting at `i` × 10 s. */
const iv = (
  i: number,
  hits: number,
  status: Record<string, number> = {},
  bytes = 0,
  filtered?: Record<string, { hits: number; bytes: number }>,
): RuleInterval => ({
  start: i * 10_000,
  end: (i + 1) * 10_000,
  hits,
  bytes,
  status,
  ...(filtered === undefined ? {} : { ruleData: { filtered } }),
});

function run(rule: Rule, intervals: RuleInterval[]): AlertEvent[] {
  const state = createRuleState(rule);
  return intervals.flatMap((i) => evaluateRule(state, i));
}

/** Reference, from the definition: fire above, recover at or below; null (no value) never fires and recovers. */
function reference(values: (number | null)[], threshold: number, recover = threshold): { at: number; state: string }[] {
  let firing = false;
  const out: { at: number; state: string }[] = [];
  values.forEach((v, i) => {
    if (!firing && v !== null && v > threshold) {
      firing = true;
      out.push({ at: (i + 1) * 10_000, state: 'firing' });
    } else if (firing && (v === null || v <= recover)) {
      firing = false;
      out.push({ at: (i + 1) * 10_000, state: 'recovered' });
    }
  });
  return out;
}

test('error ratio: fires and recovers at the exact interval, as computed from the definition', () => {
  const rule: Rule = { name: 'e', kind: 'errors', window: 30_000, threshold: 0.1, recover: 0.05, statuses: ['5xx'] };
  const errors = [0, 0, 5, 30, 3, 1, 0, 0, 0, 40, 0];
  const hits = [100, 100, 100, 100, 100, 100, 100, 100, 100, 50, 100];
  const intervals = hits.map((h, i) => iv(i, h, { '2xx': h - (errors[i] as number), '5xx': errors[i] as number }));
  // The window [T - 30 s, T): the last three intervals.
  const values = hits.map((_, i) => {
    const from = Math.max(0, i - 2);
    const e = errors.slice(from, i + 1).reduce((a, b) => a + b, 0);
    const h = hits.slice(from, i + 1).reduce((a, b) => a + b, 0);
    return e / h;
  });
  const got = run(rule, intervals);
  assert.deepEqual(
    got.map(({ at, state }) => ({ at, state })),
    reference(values, 0.1, 0.05),
  );
  assert.equal(got.length, 3);
  assert.equal(got[0]?.rule, 'e');
  assert.equal(got[0]?.value, values[3]);
});

test('the minimum-request guard: a high share over few requests does not fire; a firing rule recovers when under it', () => {
  const rule: Rule = { name: 'e', kind: 'errors', window: 20_000, threshold: 0.5, statuses: ['5xx', '404'], minRequests: 10 };
  // 404 is counted through ruleData (a code), 5xx from the classes.
  const f = (n: number) => ({ 'status=404|5xx': { hits: n, bytes: 0 } });
  assert.deepEqual(run(rule, [iv(0, 4, { '5xx': 4 }, 0, f(4)), iv(1, 5, { '5xx': 5 }, 0, f(5))]), []);
  const got = run(rule, [iv(0, 4, { '4xx': 4 }, 0, f(4)), iv(1, 6, { '4xx': 6 }, 0, f(6)), iv(2, 2, { '4xx': 2 }, 0, f(2))]);
  assert.deepEqual(
    got.map(({ at, state }) => ({ at, state })),
    [
      { at: 20_000, state: 'firing' },
      { at: 30_000, state: 'recovered' },
    ],
  );
});

test('rate with a filter, bytes rate: per second over the window', () => {
  const rate: Rule = { name: 'r', kind: 'rate', window: 20_000, threshold: 1, where: { section: '/api' } };
  const f = (n: number) => ({ 'section=/api': { hits: n, bytes: n * 100 } });
  const got = run(rate, [iv(0, 100, {}, 0, f(10)), iv(1, 100, {}, 0, f(11)), iv(2, 100, {}, 0, f(9))]);
  assert.deepEqual(
    got.map(({ at, state, value }) => ({ at, state, value })),
    [
      { at: 20_000, state: 'firing', value: 21 / 20 },
      { at: 30_000, state: 'recovered', value: 1 },
    ],
  );
  const bytes: Rule = { name: 'b', kind: 'bytes', window: 10_000, threshold: 1000 };
  assert.deepEqual(
    run(bytes, [iv(0, 1, {}, 10_000), iv(1, 1, {}, 10_001)]).map((e) => e.at),
    [20_000],
  );
});

test('traffic stops: a firing rule recovers in the gap at the first empty end where it is low enough', () => {
  const rule: Rule = { name: 'r', kind: 'rate', window: 30_000, threshold: 1 };
  const got = run(rule, [iv(0, 40), iv(100, 0)]);
  // [0,10) leaves the window at T = 40 s (the end of the missing [30, 40)).
  assert.deepEqual(
    got.map(({ at, state }) => ({ at, state })),
    [
      { at: 10_000, state: 'firing' },
      { at: 40_000, state: 'recovered' },
    ],
  );
  // An error ratio has no value once its window is empty: it recovers too.
  const e: Rule = { name: 'e', kind: 'errors', window: 20_000, threshold: 0.1 };
  const got2 = run(e, [iv(0, 10, { '5xx': 10 }), iv(50, 10, { '2xx': 10 })]);
  assert.deepEqual(
    got2.map(({ at, state }) => ({ at, state })),
    [
      { at: 10_000, state: 'firing' },
      { at: 30_000, state: 'recovered' },
    ],
  );
});

test('a saved state restored into a fresh one goes on as if never stopped; a changed rule starts afresh', () => {
  const rule: Rule = { name: 'r', kind: 'rate', window: 30_000, threshold: 1 };
  const intervals = [iv(0, 40), iv(1, 0), iv(2, 0), iv(3, 0), iv(4, 50)];
  const whole = run(rule, intervals);
  const first = createRuleState(rule);
  const before = intervals.slice(0, 2).flatMap((i) => evaluateRule(first, i));
  const saved = JSON.parse(JSON.stringify(saveRuleStates([first])));
  const second = createRuleState(rule);
  restoreRuleStates([second], saved);
  const after = intervals.slice(2).flatMap((i) => evaluateRule(second, i));
  assert.deepEqual([...before, ...after], whole);
  const changed = createRuleState({ ...rule, threshold: 2 });
  restoreRuleStates([changed], saved);
  assert.equal(changed.firing, false);
  assert.deepEqual(changed.starts, []);
});
