import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeEvent, MEASUREMENT_ALERT, MEASUREMENT_INTERVAL, MEASUREMENT_SECTION } from '../src/sinks/influx/index.js';

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

const PATH = fileURLToPath(new URL('../../samples/grafana/apachescan-dashboard.json', import.meta.url));
const load = (): Dashboard => JSON.parse(readFileSync(PATH, 'utf8')) as Dashboard;

/** Field and tag keys we write, per measurement, taken from the encoder itself. */
function schema(): Map<string, Set<string>> {
  const t = Date.UTC(2026, 0, 1);
  const lines = [
    ...encodeEvent(
      { type: 'stats', start: t, end: t + 10_000, hits: 1, bytes: 1, hosts: 1, sections: [{ name: '/', hits: 1 }], status: {}, invalid: 0, late: 0 },
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
    assert.equal(p.datasource.uid, '${datasource}', p.title);
    assert.ok(p.gridPos.w > 0 && p.gridPos.h > 0 && p.gridPos.x + p.gridPos.w <= 24, p.title);
  }
  const titles = d.panels.map((p) => p.title);
  for (const wanted of ['Hits per interval', 'Request rate vs alert threshold', 'Status classes', 'Top sections', 'Invalid and late lines']) {
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
      assert.equal(target.datasource.uid, '${datasource}', where);
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
