import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { encodeEvent, MEASUREMENT_ALERT, MEASUREMENT_INTERVAL, MEASUREMENT_SECTION } from '../../src/sinks/influx/lineProtocol.js';
import { ndjson, runCli } from '../helpers/cli.js';
import { requireInfluxd, startInfluxServer, type InfluxQueryResult } from '../helpers/influxServer.js';

/** Grafana's data source variable, as the dashboards hold it. */
const DATASOURCE_VARIABLE = '$' + '{datasource}';

interface Target {
  readonly refId: string;
  readonly query: string;
  readonly rawQuery: boolean;
  readonly datasource: { readonly type: string; readonly uid: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource: { readonly uid: string };
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets: readonly Target[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly { readonly type: string; readonly name: string; readonly query: string }[] };
  readonly annotations: { readonly list: readonly { readonly name: string; readonly query?: string; readonly textColumn?: string }[] };
}

const PATH = join(ROOT, 'samples/grafana/apachescan-dashboard.json');
const load = (): Dashboard => JSON.parse(readFileSync(PATH, 'utf8')) as Dashboard;
const SAMPLE_LOG = join(ROOT, 'samples/access.log');

/** Field and tag keys we write, per measurement, taken from the encoder itself. */
function schema(): Map<string, Set<string>> {
  const t = Date.UTC(2026, 0, 1);
  const lines = [
    ...encodeEvent(
      {
        type: 'stats',
        start: t,
        end: t + 10_000,
        hits: 1,
        bytes: 1,
        hosts: 1,
        sections: [{ name: '/', hits: 1 }],
        status: {},
        invalid: 0,
        late: 0,
      },
      { tags: { host: 'h' } },
    ),
    ...encodeEvent({ type: 'alert', state: 'firing', at: t, hits: 1, rate: 1, threshold: 1 }, { tags: { host: 'h' } }),
  ];
  const keys = new Map<string, Set<string>>();
  for (const line of lines) {
    const [series = '', fields = ''] = line.split(' ');
    const [measurement = '', ...tags] = series.split(',');
    const set = keys.get(measurement) ?? new Set<string>();
    for (const kv of [...tags, ...fields.split(',')]) set.add(kv.split('=')[0] ?? '');
    keys.set(measurement, set);
  }
  return keys;
}

test('the dashboard is valid JSON with a datasource variable and unique, placed panels', () => {
  const d = load();
  assert.equal(d.uid, 'apachescan');
  assert.ok(d.templating.list.some((v) => v.type === 'datasource' && v.name === 'datasource' && v.query === 'influxdb'));
  assert.equal(new Set(d.panels.map((p) => p.id)).size, d.panels.length);
  for (const p of d.panels) {
    assert.equal(p.datasource.uid, DATASOURCE_VARIABLE, p.title);
    assert.ok(p.gridPos.w > 0 && p.gridPos.h > 0 && p.gridPos.x + p.gridPos.w <= 24, p.title);
  }
  const titles = d.panels.map((p) => p.title);
  for (const wanted of [
    'Hits per interval',
    'Request rate vs alert threshold',
    'Status classes',
    'Top sections',
    'Invalid and late lines',
  ]) {
    assert.ok(titles.includes(wanted), wanted);
  }
  const annotation = d.annotations.list.find((a) => a.name === 'Traffic alerts');
  assert.match(annotation?.query ?? '', /FROM "apachescan_alert"/);
  assert.equal(annotation?.textColumn, 'message');
});

test('every query names a measurement we write, and only fields and tags we write', () => {
  const d = load();
  const keys = schema();
  assert.deepEqual([...keys.keys()].sort(), [MEASUREMENT_ALERT, MEASUREMENT_INTERVAL, MEASUREMENT_SECTION].sort());
  const queries = [
    ...d.panels.flatMap((p) => p.targets.map((x) => ({ where: `${p.title} ${x.refId}`, query: x.query, target: x }))),
    ...d.annotations.list.filter((a) => a.query !== undefined).map((a) => ({ where: a.name, query: a.query ?? '', target: undefined })),
    ...d.templating.list.filter((v) => v.type === 'query').map((v) => ({ where: `$${v.name}`, query: v.query, target: undefined })),
  ];
  for (const { where, query, target } of queries) {
    if (target !== undefined) {
      assert.equal(target.rawQuery, true, where);
      assert.equal(target.datasource.uid, DATASOURCE_VARIABLE, where);
    }
    const measurements = [...query.matchAll(/FROM "([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(measurements.length > 0, `${where}: names no measurement`);
    const aliases = new Set([...query.matchAll(/AS "([^"]+)"/g)].map((m) => m[1]));
    for (const measurement of measurements) {
      const known = keys.get(measurement);
      assert.ok(known !== undefined, `${where}: unknown measurement ${measurement}`);
      const identifiers = [...query.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
      for (const id of identifiers) {
        assert.ok(keys.has(id) || known.has(id) || aliases.has(id), `${where}: "${id}" is not written to ${measurement}`);
      }
    }
  }
});

/** Every query of the dashboard (panels, annotations) with its place, for the real server. */
function dashboardQueries(d: Dashboard): { where: string; query: string }[] {
  return [
    ...d.panels.flatMap((p) => p.targets.map((x) => ({ where: `${p.title} ${x.refId}`, query: x.query }))),
    ...d.annotations.list.filter((a) => a.query !== undefined).map((a) => ({ where: a.name, query: a.query ?? '' })),
  ];
}

/** Rows with at least one non-null value besides time, over all series of a result. */
function valuesOf(result: InfluxQueryResult): number {
  let count = 0;
  for (const series of result.results[0]?.series ?? []) {
    for (const row of series.values) if (row.slice(1).some((v) => v !== null)) count++;
  }
  return count;
}

test('every panel query returns data written by apachescan itself (the CLI, --influx, real influxd); the threshold line has data where no alert happened', {
  timeout: 120_000,
}, async (t) => {
  if (!requireInfluxd(t)) return;
  const server = await startInfluxServer({ database: 'live' });
  try {
    const run = await runCli([SAMPLE_LOG, '--once', '--json', '--threshold', '10', '--influx', `${server.url}/write?db=live`], {
      timeoutMs: 60_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const events = ndjson(run.stdout);
    const stats = events.filter((e) => e['type'] === 'stats');
    const alerts = events.filter((e) => e['type'] === 'alert');
    assert.ok(stats.length > 20 && alerts.length >= 2, 'the sample log has intervals and an alert that fires and recovers');
    const first = Date.parse(String(stats[0]?.['end']));
    const last = Date.parse(String(stats[stats.length - 1]?.['end']));
    const d = load();
    const host = (await server.rows(d.templating.list.find((v) => v.name === 'host')?.query ?? '', 'live')).map((r) => String(r['value']));
    assert.equal(host.length, 1, 'the CLI tags its points with the host name');
    const fill = (query: string, from: number, to: number, h: string): string =>
      query.replaceAll('$timeFilter', `time >= ${from}ms AND time <= ${to}ms`).replaceAll('$__interval', '10s').replaceAll('$host', h);

    for (const h of ['.*', host[0] ?? '']) {
      for (const { where, query } of dashboardQueries(d)) {
        const q = fill(query, first, last, h);
        assert.ok(valuesOf(await server.query(q, 'live')) > 0, `${where} (host ${h}): no data for ${q}`);
      }
    }
    // A quiet minute before any alert: the alert measurement is empty there, yet the rate and
    // threshold lines of "Request rate vs alert threshold" have a value at every interval.
    const firstAlert = Date.parse(String(alerts[0]?.['at']));
    const quietTo = Math.min(first + 60_000, firstAlert - 10_000);
    assert.ok(quietTo > first, 'the sample log starts before its first alert');
    assert.equal(
      valuesOf(await server.query(`SELECT "state" FROM "apachescan_alert" WHERE time >= ${first}ms AND time <= ${quietTo}ms`, 'live')),
      0,
    );
    const panel = d.panels.find((p) => p.title === 'Request rate vs alert threshold');
    const intervals = (quietTo - first) / 10_000 + 1;
    for (const target of panel?.targets ?? []) {
      const q = fill(target.query, first, quietTo, '.*');
      assert.equal(valuesOf(await server.query(q, 'live')), intervals, `${target.refId}: a value per interval in ${q}`);
    }
    const threshold = await server.rows(`SELECT last("alert_threshold") FROM "apachescan_interval" WHERE time >= ${first}ms`, 'live');
    assert.equal(threshold[0]?.['last'], 10);
  } finally {
    await server.stop();
  }
});
