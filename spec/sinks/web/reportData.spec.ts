import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { formatJson } from '../../../src/sinks/jsonFormat.js';
import { parseEventLine, type StatsJson } from '../../../src/sinks/web/model/eventJson.js';
import { EXACT_INTERVALS, MAX_BUCKETS, ReportBuilder } from '../../../src/sinks/web/model/reportData.js';
import { scriptSafeJson } from '../../../src/sinks/web/pageHtml.js';
import type { MonitorEvent, RuleValue, StatsEvent } from '../../../src/types.js';

const META = { source: 'x.log', mode: 'report' as const, threshold: 10, alertWindow: 120, interval: 10 };
const T0 = Date.UTC(2026, 9, 1);

/** A deterministic interval `i` of 10 s. */
function stats(i: number): StatsEvent {
  const hits = (i * 7919) % 300;
  return {
    type: 'stats',
    start: T0 + i * 10_000,
    end: T0 + (i + 1) * 10_000,
    hits,
    bytes: hits * 1000 + i,
    hosts: (i * 31) % 50,
    sections: [{ name: `/s${i % 7}`, hits }],
    status: { '2xx': hits - (hits >> 3), '5xx': hits >> 3 },
    invalid: i % 5 === 0 ? 1 : 0,
    late: i % 11 === 0 ? 2 : 0,
    ...(i % 5 === 0 ? { invalidReasons: { no_match: 1 } } : {}),
  };
}
const json = (e: MonitorEvent) => parseEventLine(formatJson(e));

test('up to EXACT_INTERVALS intervals the report keeps every stats event exactly as NDJSON gives it', () => {
  const b = new ReportBuilder(META);
  const events = Array.from({ length: 500 }, (_, i) => stats(i));
  for (const e of events) b.add(json(e) as StatsJson);
  const data = b.build();
  assert.deepEqual(
    data.intervals,
    events.map((e) => JSON.parse(formatJson(e))),
  );
  assert.equal(data.buckets.length, 0);
  assert.equal(
    data.totals.hits,
    events.reduce((s, e) => s + e.hits, 0),
  );
  assert.equal(data.busiest[0]?.hits, Math.max(...events.map((e) => e.hits)));
});

test('a month of 10 s intervals: round buckets (at most MAX_BUCKETS) whose sums equal the exact totals; clients and rate are peaks', () => {
  const n = 30 * 8640;
  const b = new ReportBuilder(META);
  let hits = 0;
  let bytes = 0;
  let late = 0;
  let peakClients = 0;
  for (let i = 0; i < n; i++) {
    const e = stats(i);
    hits += e.hits;
    bytes += e.bytes;
    late += e.late;
    peakClients = Math.max(peakClients, e.hosts);
    b.add(json(e) as StatsJson);
  }
  const data = b.build();
  assert.ok(n > EXACT_INTERVALS);
  assert.equal(data.intervals.length, 0);
  assert.equal(data.bucketSize, 1800);
  assert.ok(data.buckets.length <= MAX_BUCKETS && data.buckets.length === 1440, String(data.buckets.length));
  assert.equal(
    data.buckets.reduce((s, x) => s + x.hits, 0),
    hits,
  );
  assert.equal(
    data.buckets.reduce((s, x) => s + x.bytes, 0),
    bytes,
  );
  assert.equal(
    data.buckets.reduce((s, x) => s + x.late, 0),
    late,
  );
  assert.equal(
    data.buckets.reduce((s, x) => s + (x.status['5xx'] ?? 0), 0),
    data.totals.status['5xx'],
  );
  assert.equal(Math.max(...data.buckets.map((x) => x.clients)), peakClients);
  assert.deepEqual([data.totals.hits, data.totals.bytes, data.totals.late, data.totals.intervals], [hits, bytes, late, n]);
  // The first bucket's rate: the highest 120 s average at an interval end within its first 30 minutes.
  let best = 0;
  for (let i = 0; i < 180; i++) {
    let sum = 0;
    for (let j = Math.max(0, i - 11); j <= i; j++) sum += stats(j).hits;
    best = Math.max(best, sum / 120);
  }
  assert.equal(data.buckets[0]?.rate, Math.round(best * 100) / 100);
  assert.ok(JSON.stringify(data).length < 600_000, `report data ${JSON.stringify(data).length} bytes`);
});

test('embedded JSON cannot end its script element nor open a comment, and parses to the same value', () => {
  const value = { path: '</script><script>alert(1)</script><!-- \u2028 & >', n: 1 };
  const text = scriptSafeJson(value);
  assert.doesNotMatch(text, /<|>|&|\u2028/);
  assert.deepEqual(JSON.parse(text), value);
});

test("beyond EXACT_INTERVALS (buckets), the rules' values of the last interval and every rule alert with its kind and value stay in the report", () => {
  const b = new ReportBuilder(META);
  const n = EXACT_INTERVALS * 3;
  const ruleOf = (i: number): RuleValue[] => [
    { rule: 'errors', kind: 'errors', value: (i % 100) / 1000, threshold: 0.05, recover: 0.05, firing: i % 100 > 50 },
    { rule: 'slow', kind: 'latency', value: i % 7 === 0 ? null : 0.1, threshold: 0.5, recover: 0.4, firing: false },
  ];
  const alerts: MonitorEvent[] = [];
  for (let i = 0; i < n; i++) {
    b.add(json({ ...stats(i), rules: ruleOf(i) }) as StatsJson);
    if (i % 100 === 51) {
      const alert: MonitorEvent = {
        type: 'alert',
        state: 'firing',
        at: T0 + (i + 1) * 10_000,
        hits: 100 + i,
        rate: 1,
        threshold: 0.05,
        rule: 'errors',
        kind: 'errors',
        value: 0.051,
      };
      alerts.push(alert);
      b.add(json(alert) as never);
    }
  }
  const data = b.build();
  assert.equal(data.intervals.length, 0, 'bucketed');
  assert.deepEqual(data.lastInterval?.rules, JSON.parse(formatJson({ ...stats(n - 1), rules: ruleOf(n - 1) }))['rules']);
  assert.deepEqual(
    data.alerts,
    alerts.map((a) => JSON.parse(formatJson(a))),
  );
  assert.ok(data.alerts.every((a) => a.kind === 'errors' && a.value === 0.051));
});

/** A full collection (V8's `gc`, exposed at run time), then the JS heap in use. */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

test('a long replay keeps its intervals off the JS heap: 100k intervals add far less than a number per column per interval to it', () => {
  // The report of a 2M-line replay grew the process by 35 MB: its growing per-interval arrays
  // (and the NDJSON objects of the first intervals) survived young collections and V8 grew its
  // young generation. The columns are now typed arrays, the first intervals UTF-8 bytes.
  const n = 100_000;
  const b = new ReportBuilder(META);
  const before = heapAfterGc();
  for (let i = 0; i < n; i++) {
    const e = stats(i);
    b.addStats(e, e.hosts, e.start, e.end, () => formatJson(e));
  }
  const grown = heapAfterGc() - before;
  // 8 number columns and 2 status classes as JS arrays: 8 MB at least.
  assert.ok(grown < 2_000_000, `the JS heap grew by ${grown} bytes for ${n} intervals`);
  const data = b.build();
  assert.equal(data.totals.intervals, n);
  assert.equal(
    data.buckets.reduce((s, x) => s + x.hits, 0),
    data.totals.hits,
  );
});

test('the report of engine events equals that of the same events as NDJSON gives them (exact and bucketed)', () => {
  for (const n of [EXACT_INTERVALS, EXACT_INTERVALS + 1]) {
    const fromEngine = new ReportBuilder(META);
    const fromJson = new ReportBuilder(META);
    for (let i = 0; i < n; i++) {
      const e = stats(i);
      fromEngine.addStats(e, e.hosts, e.start, e.end, () => formatJson(e));
      fromJson.add(json(e) as StatsJson);
    }
    const a = fromEngine.build();
    assert.deepEqual(a, fromJson.build());
    assert.equal(a.intervals.length, n === EXACT_INTERVALS ? n : 0);
    assert.equal(a.busiest.length, 20);
    assert.ok(a.busiest.every((x, i) => i === 0 || x.hits <= (a.busiest[i - 1] as StatsJson).hits));
  }
});
