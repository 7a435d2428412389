import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertmanagerPusher, type PostableAlert } from '../../src/sinks/alertmanager/index.js';
import { createAlertAgeGate } from '../../src/sinks/alertAge.js';
import { createEncoder } from '../../src/sinks/influx/lineProtocol.js';
import { createExporterMetrics } from '../../src/sinks/prometheus/metrics.js';
import { createRecorder } from '../../src/sinks/prometheus/recorder.js';
import { initialViewState, reduceView, renderView } from '../../src/sinks/tty/index.js';
import { formatAlert, formatText } from '../../src/sinks/textFormat.js';
import { createBacktest } from '../../src/sinks/backtest/index.js';
import type { AlertEvent, StatsEvent } from '../../src/types.js';
import { ManualScheduler } from '../helpers/manualScheduler.js';

const T0 = Date.UTC(2026, 0, 1);
const builtin = (state: 'firing' | 'recovered', s: number): AlertEvent => ({
  type: 'alert',
  state,
  at: T0 + s * 1000,
  hits: 1300,
  rate: 10.83,
  threshold: 10,
});
const ruleAlert = (rule: string, state: 'firing' | 'recovered', s: number, value = 0.2): AlertEvent => ({
  type: 'alert',
  state,
  at: T0 + s * 1000,
  hits: 500,
  rate: 4.17,
  threshold: 0.05,
  rule,
  kind: 'errors',
  value,
  labels: { severity: 'page' },
});
const stats = (i: number, rules?: StatsEvent['rules']): StatsEvent => ({
  type: 'stats',
  start: T0 + i * 10_000,
  end: T0 + (i + 1) * 10_000,
  hits: 10,
  bytes: 0,
  hosts: 1,
  sections: [],
  status: {},
  invalid: 0,
  late: 0,
  ...(rules === undefined ? {} : { rules }),
});

test("text: a rule's message names it with its value and threshold; the built-in wording stays exactly as it was", () => {
  assert.equal(formatAlert(builtin('firing', 120)), 'High traffic generated an alert - hits = 1300, triggered at 2026-01-01T00:02:00Z');
  assert.equal(formatAlert(builtin('recovered', 240)), 'Traffic recovered - hits = 1300, recovered at 2026-01-01T00:04:00Z');
  assert.equal(
    formatText(ruleAlert('errors', 'firing', 120)),
    'Rule errors fired - 20% > 5% (500 requests), triggered at 2026-01-01T00:02:00Z',
  );
  assert.equal(
    formatAlert({ ...ruleAlert('slow', 'recovered', 60, 0.25), kind: 'latency', threshold: 0.5 }),
    'Rule slow recovered - 250 ms <= 500 ms (500 requests), recovered at 2026-01-01T00:01:00Z',
  );
});

test("the alert age gate holds back each alert apart: one rule's old firing is not replaced by another's transition", () => {
  const now = T0 + 3600_000;
  const gate = createAlertAgeGate(600_000, () => now);
  assert.deepEqual(gate.next(ruleAlert('a', 'firing', 10)), []);
  assert.deepEqual(gate.next(ruleAlert('b', 'firing', 20)), []);
  assert.deepEqual(gate.next(ruleAlert('b', 'recovered', 30)), []);
  assert.deepEqual(gate.next(builtin('firing', 40)), []);
  // The end of the catch-up: each alert still firing is sent once, with its own time.
  assert.deepEqual(gate.next({ type: 'summary', lines: 0, parsed: 0, invalid: 0, late: 0 }), [
    builtin('firing', 40),
    ruleAlert('a', 'firing', 10),
  ]);
});

test("Alertmanager: every push says each alert's state; a rule is alertname=<rule>, its labels over the defaults", async () => {
  const scheduler = new ManualScheduler(T0 + 600_000);
  const bodies: PostableAlert[][] = [];
  const fetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)) as PostableAlert[]);
    return new Response('', { status: 200 });
  }) as typeof globalThis.fetch;
  const pusher = createAlertmanagerPusher({
    urls: ['http://am.test:9093'],
    labels: { job: 'apachescan', severity: 'warning' },
    scheduler,
    fetch,
    maxAlertAge: Infinity,
  });
  pusher.next(builtin('firing', 100));
  await scheduler.advance(0);
  pusher.next(ruleAlert('errors', 'firing', 110));
  await scheduler.advance(0);
  pusher.next(builtin('recovered', 120));
  await scheduler.advance(0);
  const last = bodies.at(-1) ?? [];
  assert.deepEqual(last.map((a) => [a.labels['alertname'], a.labels['severity'], a.labels['job']]).sort(), [
    ['ApachescanHighTraffic', 'warning', 'apachescan'],
    ['errors', 'page', 'apachescan'],
  ]);
  const errors = last.find((a) => a.labels['alertname'] === 'errors');
  assert.equal(errors?.startsAt, '2026-01-01T00:01:50Z');
  assert.equal(errors?.annotations['value'], '0.2');
  // Once the built-in alert's resolution is delivered, it is not said again; the rule still fires and is re-sent.
  await scheduler.advance(60_000);
  assert.deepEqual(
    bodies.at(-1)?.map((a) => a.labels['alertname']),
    ['errors'],
  );
  await pusher.close();
});

test("Prometheus: each rule's value, threshold and state; a rule's transition leaves the built-in alert's gauge alone", async () => {
  const metrics = createExporterMetrics({ processMetrics: false });
  const record = createRecorder(metrics);
  record(
    stats(0, [
      { rule: 'errors', kind: 'errors', value: 0.2, threshold: 0.05, recover: 0.05, firing: true },
      { rule: 'slow', kind: 'latency', value: null, threshold: 0.5, recover: 0.5, firing: false },
    ]),
  );
  record(ruleAlert('errors', 'firing', 10));
  const text = await metrics.registry.metrics();
  assert.match(text, /^apachescan_rule_value\{rule="errors",kind="errors"\} 0\.2$/m);
  assert.doesNotMatch(text, /^apachescan_rule_value\{rule="slow"/m, 'no value, no series');
  assert.match(text, /^apachescan_rule_threshold\{rule="slow",kind="latency"\} 0\.5$/m);
  assert.match(text, /^apachescan_rule_firing\{rule="errors"\} 1$/m);
  assert.match(text, /^apachescan_alert_firing 0$/m);
  assert.doesNotMatch(
    await createExporterMetrics({ processMetrics: false }).registry.metrics(),
    /apachescan_rule_value\{/,
    'no series without rules',
  );
});

test('InfluxDB: one apachescan_rule point per rule and interval (no value field while it has none); rule transitions tagged rule', () => {
  const encode = createEncoder({ tags: { host: 'web1' } });
  const lines = encode(
    stats(0, [
      { rule: 'errors', kind: 'errors', value: 0.2, threshold: 0.05, recover: 0.01, firing: true },
      { rule: 'slow', kind: 'latency', value: null, threshold: 0.5, recover: 0.5, firing: false },
    ]),
  );
  assert.ok(
    lines.includes('apachescan_rule,host=web1,kind=errors,rule=errors value=0.2,threshold=0.05,recover=0.01,firing=1i 1767225610000'),
    lines.join('\n'),
  );
  assert.ok(
    lines.includes('apachescan_rule,host=web1,kind=latency,rule=slow threshold=0.5,recover=0.5,firing=0i 1767225610000'),
    lines.join('\n'),
  );
  const [alert] = encode(ruleAlert('errors', 'firing', 10));
  assert.match(
    alert ?? '',
    /^apachescan_alert,host=web1,rule=errors,state=firing hits=500i,rate=4\.17,threshold=0\.05,value=0\.2,message="Rule errors fired/,
  );
  assert.match(encode(builtin('firing', 10))[0] ?? '', /^apachescan_alert,host=web1,state=firing hits=1300i/);
});

test("live view: a rules line with each rule's state; a rule's transition does not flip the built-in badge", () => {
  let view = initialViewState({ file: 'access.log', mode: 'follow', threshold: 10, alertWindow: 120_000 });
  view = reduceView(
    view,
    stats(0, [
      { rule: 'errors', kind: 'errors', value: 0.062, threshold: 0.05, recover: 0.05, firing: true },
      { rule: 'slow', kind: 'latency', value: 0.12, threshold: 0.5, recover: 0.5, firing: false },
    ]),
  );
  view = reduceView(view, ruleAlert('errors', 'firing', 10));
  assert.equal(view.firing, false);
  const lines = renderView(view, { width: 120, height: 40, color: false });
  assert.ok(lines.includes('rules    ● errors 6.2% > 5% · ○ slow 120 ms ≤ 500 ms'), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('Rule errors fired')));
  assert.ok(lines[0]?.startsWith('● OK'));
});

test('backtest: periods, peaks, totals; one still firing at the end is cut at the last interval', () => {
  const bt = createBacktest(
    [
      { name: 'traffic', kind: 'rate', definition: 'rate > 10/s over 2m', builtin: true },
      { name: 'errors', kind: 'errors', definition: '5xx > 5% over 5m' },
    ],
    120_000,
  );
  const v = (value: number, firing: boolean) => [
    { rule: 'errors', kind: 'errors' as const, value, threshold: 0.05, recover: 0.05, firing },
  ];
  bt.next(stats(0, v(0.01, false)));
  bt.next(stats(1, v(0.2, true)));
  bt.next(ruleAlert('errors', 'firing', 20, 0.2));
  bt.next(stats(2, v(0.3, true)));
  bt.next(stats(3, v(0.04, false)));
  bt.next(ruleAlert('errors', 'recovered', 40, 0.04));
  bt.next(stats(4, v(0.5, true)));
  bt.next(ruleAlert('errors', 'firing', 50, 0.5));
  const result = bt.result();
  const errors = result.alerts[1];
  assert.equal(errors?.fired, 2);
  assert.deepEqual(
    errors?.periods.map((p) => [p.from - T0, p.to - T0, p.peak, p.open]),
    [
      [20_000, 40_000, 0.3, false],
      [50_000, 50_000, 0.5, true],
    ],
  );
  assert.equal(errors?.firingSeconds, 20);
  assert.equal(errors?.longestSeconds, 20);
  assert.equal(result.alerts[0]?.fired, 0);
  assert.equal(result.intervals, 5);
});

test("--on-alert: a rule's transition in JSON names the rule, with its kind, value, labels and message", async () => {
  const { alertCommandInput } = await import('../../src/sinks/command/alertPayload.js');
  const input = JSON.parse(alertCommandInput(ruleAlert('errors', 'firing', 120))) as Record<string, unknown>;
  assert.deepEqual(input, {
    type: 'alert',
    state: 'firing',
    at: '2026-01-01T00:02:00Z',
    hits: 500,
    rate: 4.17,
    threshold: 0.05,
    rule: 'errors',
    kind: 'errors',
    value: 0.2,
    labels: { severity: 'page' },
    message: 'Rule errors fired - 20% > 5% (500 requests), triggered at 2026-01-01T00:02:00Z',
  });
  assert.ok(!('rule' in (JSON.parse(alertCommandInput(builtin('firing', 120))) as object)));
});
