import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRuleValue } from '../../../src/sinks/timeFormat.js';
import type { AlertJson, PageMeta, StatsJson } from '../../../src/sinks/web/model/eventJson.js';
import { alertValueCells, ruleFiringText, ruleRows, ruleValueText } from '../../../src/sinks/web/model/ruleText.js';

test("a rule value in its unit: the text output's, but req/s for rates", () => {
  for (const [kind, v] of [
    ['errors', 0.1346153846153846],
    ['latency', 0.48],
    ['latency', 1.2091967923473552],
    ['bytes', 1_572_864],
    ['bytes', 100],
  ] as const) {
    assert.equal(ruleValueText(kind, v), formatRuleValue(kind, v));
  }
  assert.deepEqual(
    [
      ruleValueText('errors', 0.05),
      ruleValueText('latency', 0.5),
      ruleValueText('latency', 2.3868),
      ruleValueText('bytes', 1_572_864),
      ruleValueText('rate', 12.345),
    ],
    ['5%', '500 ms', '2.39 s', '1.5 MiB/s', '12.35 req/s'],
  );
});

const ERRORS: AlertJson = {
  type: 'alert',
  state: 'firing',
  at: '2026-10-10T14:08:50Z',
  hits: 104,
  rate: 0.35,
  threshold: 0.05,
  rule: 'errors',
  kind: 'errors',
  value: 0.1346153846153846,
};
const BUILT_IN: AlertJson = { type: 'alert', state: 'firing', at: '2026-10-10T13:57:50Z', hits: 1266, rate: 10.55, threshold: 10 };

test("a firing rule's banner line and the alert table's value cells", () => {
  assert.equal(ruleFiringText(ERRORS, 'errors', 'T'), 'Rule errors fired - 13.46% > 5% (104 requests), triggered at T');
  assert.equal(ruleFiringText({ ...ERRORS, hits: 1 }, 'x', 'T'), 'Rule x fired - 13.46% > 5% (1 request), triggered at T');
  assert.deepEqual(alertValueCells(ERRORS), ['13.46%', '5%']);
  assert.deepEqual(alertValueCells(BUILT_IN), ['10.55 req/s', '10 req/s']);
});

const META: PageMeta = {
  source: 'x.log',
  mode: 'report',
  threshold: 10,
  alertWindow: 120,
  interval: 10,
  rules: [
    { rule: 'errors', kind: 'errors', threshold: 0.05, recover: 0.05 },
    { rule: 'slow', kind: 'latency', threshold: 0.5, recover: 0.4 },
    { rule: 'big', kind: 'bytes', threshold: 1e6, recover: 1e6 },
  ],
};
const stats = (rules: StatsJson['rules']): StatsJson => ({
  type: 'stats',
  start: '2026-10-10T14:00:00Z',
  end: '2026-10-10T14:00:10Z',
  hits: 1,
  bytes: 1,
  clients: 1,
  sections: [],
  status: {},
  invalid: 0,
  late: 0,
  ...(rules === undefined ? {} : { rules }),
});

test("the Rules panel: value and state from the newest stats event, kind and thresholds from the meta (or the rule's newest alert)", () => {
  const last = stats([
    { rule: 'errors', value: 0.1346153846153846, firing: true },
    { rule: 'slow', value: null, firing: false },
    { rule: 'big', value: 2048, firing: false },
    { rule: 'api', value: 3, firing: false },
  ]);
  const api: AlertJson = {
    type: 'alert',
    state: 'recovered',
    at: '2026-10-10T13:00:00Z',
    hits: 3,
    rate: 3,
    threshold: 2,
    rule: 'api',
    kind: 'rate',
    value: 1,
  };
  assert.deepEqual(ruleRows(last, META, [api]), [
    { rule: 'errors', kind: 'errors', value: '13.46%', threshold: '> 5%', state: 'firing' },
    { rule: 'slow', kind: 'latency', value: '-', threshold: '> 500 ms, recovers <= 400 ms', state: 'no value' },
    { rule: 'big', kind: 'bytes', value: '2.0 KiB/s', threshold: '> 976.6 KiB/s', state: 'ok' },
    { rule: 'api', kind: 'rate', value: '3 req/s', threshold: '<= 2 req/s', state: 'ok' },
  ]);
  assert.deepEqual(ruleRows(stats([{ rule: 'new', value: 0.5, firing: false }]), undefined, []), [
    { rule: 'new', kind: '', value: '0.5', threshold: '', state: 'ok' },
  ]);
  assert.deepEqual(ruleRows(stats(undefined), META, []), []);
  assert.deepEqual(ruleRows(undefined, META, []), []);
});
