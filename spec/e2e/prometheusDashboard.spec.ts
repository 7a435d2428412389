/**
 * The shipped Grafana dashboard for Prometheus, against the real Prometheus: apachescan's
 * exporter is fed by the engine running on real logs (the sample log, and a log with %D for
 * durations), Prometheus scrapes it, and every panel's expression (Grafana variables filled
 * in) must return data with finite values.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { lastValueFrom, tap } from 'rxjs';
import { monitor, readLogFile } from '../../src/index.js';
import { startPrometheusExporter, type PrometheusExporter } from '../../src/sinks/prometheus/index.js';
import { binaryTestOptions, PROMETHEUS_BIN, startPrometheus, type PrometheusServer } from '../helpers/prometheusServer.js';
import { tempDir } from '../helpers/tempDir.js';

/** Grafana's data source variable, as the dashboards hold it. */
const DATASOURCE_VARIABLE = '$' + '{datasource}';

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource: { readonly type: string; readonly uid: string };
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly {
    readonly id: number;
    readonly title: string;
    readonly type: string;
    readonly datasource: { readonly type: string; readonly uid: string };
    readonly gridPos: { x: number; w: number; h: number };
    readonly targets: readonly Target[];
  }[];
  readonly templating: {
    readonly list: readonly { readonly type: string; readonly name: string; readonly query: string | { readonly query: string } }[];
  };
  readonly annotations: { readonly list: readonly { readonly name: string; readonly expr?: string }[] };
}

const SAMPLES = join(ROOT, 'samples');
const dashboard = (): Dashboard =>
  JSON.parse(readFileSync(join(SAMPLES, 'grafana', 'apachescan-prometheus-dashboard.json'), 'utf8')) as Dashboard;
const options = binaryTestOptions(PROMETHEUS_BIN);

test('the Prometheus dashboard: a prometheus datasource variable, unique placed panels, PromQL targets', () => {
  const d = dashboard();
  assert.equal(d.uid, 'apachescan-prometheus');
  assert.ok(d.templating.list.some((v) => v.type === 'datasource' && v.name === 'datasource' && v.query === 'prometheus'));
  assert.equal(new Set(d.panels.map((p) => p.id)).size, d.panels.length);
  for (const p of d.panels) {
    assert.deepEqual(p.datasource, { type: 'prometheus', uid: DATASOURCE_VARIABLE }, p.title);
    assert.ok(p.gridPos.w > 0 && p.gridPos.h > 0 && p.gridPos.x + p.gridPos.w <= 24, p.title);
    assert.ok(p.targets.length > 0, p.title);
    for (const t of p.targets) assert.match(t.expr, /apachescan_|process_/, `${p.title} ${t.refId}`);
  }
});

let exporter: PrometheusExporter | undefined;
let prometheus: PrometheusServer | undefined;

before(async () => {
  if (options.skip !== undefined) return;
  exporter = await startPrometheusExporter({ port: 0, alertWindow: 120_000, threshold: 10 });
  prometheus = await startPrometheus([`127.0.0.1:${exporter.address.port}`]);
});

after(async () => {
  await prometheus?.stop();
  await exporter?.close();
});

/** A small log in a format with %D (microseconds), one request a second. */
function durationLog(): string {
  const path = join(tempDir(), 'timed.log');
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    const t = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
    const stamp = `01/Jan/2026:00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`;
    assert.equal(t.getUTCSeconds(), i % 60);
    lines.push(`10.0.0.${i % 7} - - [${stamp}] "GET /api/${i} HTTP/1.1" 200 ${100 * (i + 1)} ${1000 * (i + 1)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

test('every panel expression of the Prometheus dashboard returns data from the real Prometheus scraping apachescan', {
  ...options,
  timeout: 120_000,
}, async () => {
  assert.ok(exporter && prometheus, `prometheus did not start (${PROMETHEUS_BIN})`);
  const { exporter: ex, prometheus: prom } = { exporter, prometheus };
  const format = '%h %l %u %t "%r" %>s %b %D';
  // A first scrape before the traffic, so that rate() sees the counters and histograms grow.
  await lastValueFrom(monitor(readLogFile(durationLog()), { format, onRequest: ex.observeRequest }).pipe(tap(ex.observer)));
  await prom.waitFor('apachescan_request_duration_seconds_count', (s) => s.length === 1);
  await prom.waitFor('apachescan_request_duration_seconds_count', (s) => s.length === 1); // and one more scrape
  await lastValueFrom(monitor(readLogFile(durationLog()), { format, onRequest: ex.observeRequest }).pipe(tap(ex.observer)));
  const events = await lastValueFrom(
    monitor(readLogFile(join(SAMPLES, 'access.log')), { onRequest: ex.observeRequest }).pipe(tap(ex.observer)),
    { defaultValue: undefined },
  );
  assert.equal(events?.type, 'summary');
  await prom.waitFor('apachescan_response_size_bytes_count', (s) => (s[0]?.value ?? 0) > 5000);

  const d = dashboard();
  const instance = `127.0.0.1:${ex.address.port}`;
  const fill = (expr: string, inst: string): string =>
    expr.replaceAll('$__rate_interval', '2m').replaceAll('$job', 'apachescan').replaceAll('$instance', inst);
  for (const inst of ['.*', instance.replaceAll('.', '\\\\.')]) {
    for (const panel of d.panels) {
      for (const target of panel.targets) {
        const expr = fill(target.expr, inst);
        const samples = await prom.query(expr);
        assert.ok(samples.length > 0, `${panel.title} ${target.refId}: no data for ${expr}`);
        for (const s of samples) assert.ok(Number.isFinite(s.value), `${panel.title} ${target.refId}: ${s.value} in ${expr}`);
      }
    }
  }
  // The template variables (Grafana's label_values) find the job and the instance.
  for (const variable of d.templating.list.filter((v) => v.type === 'query')) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query.query;
    const m = /^label_values\((.+), (\w+)\)$/.exec(query);
    assert.ok(m, `${variable.name}: ${query}`);
    const samples = await prom.query(fill(m[1] ?? '', '.*'));
    assert.ok(
      samples.some((s) => s.metric[m[2] ?? ''] !== undefined),
      `$${variable.name}: no ${m[2]} label`,
    );
  }
  // Annotations are range queries in Grafana; here: they must at least be valid PromQL.
  for (const a of d.annotations.list.filter((x) => x.expr !== undefined)) await prom.query(fill(a.expr ?? '', '.*'));
  // The shipped recording rules compute something from the same data.
  const rules = readFileSync(join(SAMPLES, 'prometheus', 'apachescan-rules.yml'), 'utf8');
  const recorded = [...rules.matchAll(/- record: (\S+)\n\s+expr: (.+)/g)];
  assert.ok(recorded.length > 0);
  for (const [, name, expr] of recorded)
    assert.ok((await prom.query(expr ?? '')).length > 0, `recording rule ${name}: no data for ${expr}`);
  // Sizes from the sample log: the median response is between 1 KiB and 256 KiB.
  const p50 = (await prom.query(fill(d.panels.find((p) => p.title === 'Response size')?.targets[0]?.expr ?? '', '.*')))[0]?.value ?? 0;
  assert.ok(p50 > 1024 && p50 < 262_144, `median response size ${p50}`);
});
