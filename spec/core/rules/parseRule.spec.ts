import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRule, ruleOf } from '../../../src/core/rules/parseRule.js';
import { MonitorOptionsError } from '../../../src/errors.js';

test('the README examples parse into plain rules', () => {
  assert.deepEqual(parseRule('errors: 5xx > 5% over 5m min 100'), {
    name: 'errors',
    kind: 'errors',
    window: 300_000,
    threshold: 0.05,
    statuses: ['5xx'],
    minRequests: 100,
  });
  assert.deepEqual(parseRule('slow: p95 > 500ms over 5m'), {
    name: 'slow',
    kind: 'latency',
    window: 300_000,
    threshold: 0.5,
    quantile: 0.95,
  });
  assert.deepEqual(parseRule('shop: rate{vhost=shop} > 50/s over 2m'), {
    name: 'shop',
    kind: 'rate',
    window: 120_000,
    threshold: 50,
    where: { vhost: 'shop' },
  });
  assert.deepEqual(parseRule('bytes: bytes > 10MB/s over 1m'), { name: 'bytes', kind: 'bytes', window: 60_000, threshold: 10_000_000 });
});

test('units, filters, recover and labels', () => {
  assert.equal(parseRule('a: rate > 600/m over 1m').threshold, 10);
  assert.equal(parseRule('a: rate > 20 over 1m').threshold, 20);
  assert.equal(parseRule('a: bytes > 1KiB/s over 10s').threshold, 1024);
  assert.equal(parseRule('a: p99 > 2s over 1m30s').window, 90_000);
  assert.equal(parseRule('a: p50 > 250us over 1h').threshold, 0.00025);
  assert.equal(parseRule('a: 5xx > 0.1 over 1m').threshold, 0.1);
  assert.deepEqual(parseRule('a: 4xx|503 > 10% over 1m').statuses, ['4xx', '503']);
  assert.deepEqual(parseRule('a: errors > 10% over 1m').statuses, ['5xx']);
  assert.deepEqual(parseRule('api: rate{section=/api, status=5xx|404} > 1/s over 1m').where, { section: '/api', status: ['5xx', '404'] });
  assert.deepEqual(parseRule('api: rate{section=api} > 1/s over 1m').where, { section: '/api' });
  const r = parseRule('e: 5xx > 5% over 5m min 100 recover < 2% labels severity=page,team=web');
  assert.equal(r.recover, 0.02);
  assert.deepEqual(r.labels, { severity: 'page', team: 'web' });
  assert.equal(parseRule('e: 5xx > 5% over 5m recover <= 1%').recover, 0.01);
  assert.equal(parseRule('s: p95 > 1s over 5m recover 800ms').recover, 0.8);
});

test('bad rules: one line naming the rule and what is wrong', () => {
  const bad: [string, RegExp][] = [
    ['5xx > 5% over 5m', /expected NAME: MEASURE/],
    ['1x: rate > 5 over 5m', /the name "1x"/],
    ['a: rate 5 over 5m', /expected ">"/],
    ['a: rate > over 5m', /expected "over WINDOW"/],
    ['a: rate > x over 5m', /cannot read the rate "x"/],
    ['a: rate >', /threshold is missing/],
    ['a: rate > 5/s in 5m', /expected "over WINDOW"/],
    ['a: rate > 5/s over 5', /cannot read the window "5"/],
    ['a: rate > 5/s over 0s', /longer than 0/],
    ['a: latency > 5/s over 5m', /unknown measure "latency"/],
    ['a: 6xy > 5% over 5m', /unknown measure/],
    ['a: 5xx > 5 over 5m', /cannot read the share "5"/],
    ['a: 5xx > 500% over 5m', /cannot read the share/],
    ['a: p95 > 500 over 5m', /latency threshold "500"/],
    ['a: p0 > 1s over 5m', /not a quantile/],
    ['a: rate{host=x} > 1/s over 1m', /unknown filter "host"/],
    ['a: rate{status=9} > 1/s over 1m', /status=9/],
    ['a: 5xx{section=/api} > 5% over 1m', /takes no filter/],
    ['a: rate > 5/s over 5m min 10', /"min"/],
    ['a: 5xx > 5% over 5m min ten', /whole number/],
    ['a: 5xx > 5% over 5m recover 6%', /must not exceed/],
    ['a: 5xx > 5% over 5m every 1m', /unexpected "every"/],
    ['a: 5xx > 5% over 5m min', /"min" needs a value/],
  ];
  for (const [text, why] of bad) {
    assert.throws(
      () => parseRule(text),
      (err: Error) => err instanceof MonitorOptionsError && why.test(err.message) && !err.message.includes('\n'),
      text,
    );
  }
});

test('rules as data (a config file): strings parse, objects are checked', () => {
  assert.equal(ruleOf('a: rate > 1/s over 1m').kind, 'rate');
  const data = { name: 'e', kind: 'errors', window: 60_000, threshold: 0.05, statuses: ['5xx'], minRequests: 10 };
  assert.deepEqual(ruleOf(data), data);
  assert.throws(() => ruleOf({ ...data, kind: 'nope' }), /"kind"/);
  assert.throws(() => ruleOf({ ...data, extra: 1 }), /unknown field "extra"/);
  assert.throws(() => ruleOf({ ...data, window: '5m' }), /"window" must be a number/);
  assert.throws(() => ruleOf({ ...data, statuses: ['5x'] }), /statuses/);
  assert.throws(() => ruleOf(42), /a rule is a string/);
});

test('the shipped JSON Schema lists exactly the fields rules as data take, and their kinds', async () => {
  const { readFileSync } = await import('node:fs');
  const schema = JSON.parse(readFileSync(new URL('../../../../rules.schema.json', import.meta.url), 'utf8')) as {
    $defs: { rule: { properties: Record<string, { enum?: string[] }>; required: string[] }; ruleText: { pattern: string } };
  };
  const { properties, required } = schema.$defs.rule;
  const full = {
    name: 'a',
    kind: 'latency',
    window: 60_000,
    threshold: 0.5,
    recover: 0.4,
    where: {},
    statuses: ['5xx'],
    minRequests: 1,
    quantile: 0.9,
    labels: {},
  };
  assert.deepEqual(Object.keys(properties).sort(), Object.keys(full).sort());
  assert.doesNotThrow(() => ruleOf(full));
  for (const kind of properties['kind']?.enum ?? []) assert.doesNotThrow(() => ruleOf({ ...full, kind }));
  for (const key of required) {
    const { [key]: _, ...without } = full as Record<string, unknown>;
    assert.throws(() => ruleOf(without), key);
  }
  assert.match('errors: 5xx > 5% over 5m min 100', new RegExp(schema.$defs.ruleText.pattern));
});
