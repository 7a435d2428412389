import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { monitor, type MonitorEvent } from '../../src/index.js';
import { parseRule } from '../../src/core/rules/parseRule.js';
import { SKETCH_ALPHA } from '../../src/core/rules/latencySketch.js';
import type { Rule } from '../../src/core/rules/rule.js';
import type { AlertEvent, StatsEvent } from '../../src/types.js';
import { RULE_LOG_FORMAT, generateRequests, lineOf, referenceTransitions, referenceValue } from '../helpers/ruleLog.js';

const RULES: Rule[] = [
  'errors: 5xx > 10% over 1m min 20 recover < 5%',
  'trickle: 5xx > 50% over 30s',
  'slow: p95 > 500ms over 1m',
  'median: p50 > 300ms over 30s',
  'api: rate{section=/api} > 2/s over 30s',
  'notfound: rate{status=404} > 1/s over 20s',
  'heavy: bytes > 200kB/s over 1m recover 100kB/s',
  'apibytes: bytes{section=/api} > 5kB/s over 20s',
].map(parseRule);

async function run(rules: readonly Rule[]): Promise<MonitorEvent[]> {
  const requests = generateRequests();
  return lastValueFrom(monitor(from(requests.map(lineOf)), { format: RULE_LOG_FORMAT, rules, lateness: 0 }).pipe(toArray()));
}

test('each rule kind fires and recovers at the exact interval an independent computation says, several at once', async () => {
  const requests = generateRequests();
  const events = await run(RULES);
  const stats = events.filter((e): e is StatsEvent => e.type === 'stats');
  const last = stats.at(-1)?.end as number;
  const alerts = events.filter((e): e is AlertEvent => e.type === 'alert' && e.rule !== undefined);
  const moments = new Map<number, number>();
  for (const rule of RULES) {
    const got = alerts.filter((a) => a.rule === rule.name).map(({ at, state }) => ({ at, state }));
    // After the last interval nothing is evaluated: the reference stops there too.
    assert.deepEqual(got, referenceTransitions(rule, requests, last), rule.name);
    for (const a of got) moments.set(a.at, (moments.get(a.at) ?? 0) + 1);
  }
  // Every rule fires at least once, except the one that only a trickle could trip (guarded by its minimum: see below).
  for (const rule of RULES)
    assert.ok(alerts.some((a) => a.rule === rule.name && a.state === 'firing') || rule.name === 'trickle', `${rule.name} never fired`);
  assert.ok(
    [...moments.values()].some((n) => n >= 2),
    'some transitions of different rules fall on the same interval',
  );
  // The built-in alert is still there, untouched (30 req / 10 s never exceeds 10 req/s over 2 min).
  assert.equal(events.filter((e) => e.type === 'alert' && e.rule === undefined).length, 0);
});

test("each interval carries the rules' values: exact for counts, quantiles within the stated relative error", async () => {
  const requests = generateRequests();
  const stats = (await run(RULES)).filter((e): e is StatsEvent => e.type === 'stats');
  let checked = 0;
  for (const s of stats) {
    for (const value of s.rules ?? []) {
      const rule = RULES.find((r) => r.name === value.rule) as Rule;
      const want = referenceValue(rule, requests, s.end);
      if (want === null) {
        assert.equal(value.value, null, `${rule.name} at ${s.end}`);
        continue;
      }
      const got = value.value as number;
      const tolerance = rule.kind === 'latency' ? SKETCH_ALPHA * want : 1e-9 * Math.max(1, want);
      assert.ok(Math.abs(got - want) <= tolerance, `${rule.name} at ${s.end}: ${got} vs ${want}`);
      checked++;
    }
  }
  assert.ok(checked > 300);
});

test('the minimum-request guard: a window of only 5xx but fewer requests than the minimum does not fire', async () => {
  // Intervals 40-44: 3 requests each, all 503. Without a minimum the share is 100 %.
  const guarded = parseRule('g: 5xx > 50% over 30s min 10');
  const bare = parseRule('b: 5xx > 50% over 30s');
  const events = await run([guarded, bare]);
  const fired = (name: string) => events.filter((e) => e.type === 'alert' && e.rule === name && e.state === 'firing').length;
  assert.equal(fired('g'), 0);
  assert.ok(fired('b') >= 1);
});

test('without rules nothing changes: no rule data, no rule values, the same events', async () => {
  const events = await run([]);
  assert.ok(events.every((e) => e.type !== 'stats' || (e.ruleData === undefined && e.rules === undefined)));
});
