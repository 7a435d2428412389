/** `startPrometheusExporter({ registry })`: the metrics in an app's own prom-client registry, no port. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { startPrometheusExporter } from '../../../src/sinks/prometheus/index.js';
import { SinkError } from '../../../src/errors.js';
import { byLabel, parseExposition, statsEvent, type TextSample } from '../../helpers/prometheusServer.js';

const T0 = Date.UTC(2026, 0, 1);

async function samplesOf(registry: Registry): Promise<TextSample[]> {
  return parseExposition(await registry.metrics());
}

const names = (samples: TextSample[]): Set<string> => new Set(samples.map((s) => s.name));

test('given a registry, the exporter opens no port and its metrics appear in registry.metrics()', async () => {
  const registry = new Registry();
  // An app gauge named like the prom-client defaults the exporter drops (`nodejs_active_handles_total`).
  new Gauge({ name: 'myapp_jobs_total', help: 'The app’s own.', registers: [registry] }).set(3);
  const sink = await startPrometheusExporter({ registry, threshold: 25 });
  assert.equal(sink.registry, registry);
  assert.ok(!('url' in sink) && !('address' in sink), 'no server, so no url or address');
  sink.next(statsEvent(T0, 0, { hits: 10, bytes: 1000, hosts: 3, sections: [{ name: '/api', hits: 6 }], status: { '2xx': 10 } }));
  sink.observer.next(statsEvent(T0, 10, { hits: 5, status: { '4xx': 5 } }));
  sink.request(2048, 0.25);
  const samples = await samplesOf(registry);
  assert.deepEqual(byLabel(samples, 'apachescan_hits_total', 'section'), { '/api': 6, other: 9 });
  assert.deepEqual(byLabel(samples, 'apachescan_responses_total', 'status_class'), { '1xx': 0, '2xx': 10, '3xx': 0, '4xx': 5, '5xx': 0 });
  assert.equal(byLabel(samples, 'apachescan_alert_threshold_requests_per_second')[''], 25);
  assert.equal(byLabel(samples, 'apachescan_response_size_bytes_count')[''], 1);
  assert.equal(byLabel(samples, 'apachescan_request_duration_seconds_count')[''], 1);
  assert.ok(names(samples).has('process_cpu_user_seconds_total'), 'process metrics registered');
  assert.equal(byLabel(samples, 'myapp_jobs_total')[''], 3, "the app's metrics are left alone");
  assert.deepEqual(await sink.close(), { name: 'prometheus', delivered: 2, undelivered: 0 });
  assert.ok(names(await samplesOf(registry)).has('apachescan_hits_total'), 'closing leaves the metrics in the app registry');
});

test('an app registry that already has collectDefaultMetrics does not throw, and keeps its own metrics', async () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({ name: 'myapp_jobs_total', help: 'The app’s own.', registers: [registry] }).set(3);
  const before = new Set(registry.getMetricsAsArray().map((m) => m.name));
  const sink = await startPrometheusExporter({ registry });
  sink.next(statsEvent(T0, 0, { hits: 4 }));
  const samples = await samplesOf(registry);
  assert.equal(byLabel(samples, 'apachescan_last_interval_hits')[''], 4);
  assert.equal(byLabel(samples, 'myapp_jobs_total')[''], 3, "the app's metrics are left alone");
  assert.ok(names(samples).has('nodejs_active_handles_total'), "the app's own default metrics are left as they are");
  const added = registry
    .getMetricsAsArray()
    .map((m) => m.name)
    .filter((name) => !before.has(name));
  assert.ok(added.length > 0);
  assert.deepEqual(
    added.filter((name) => !name.startsWith('apachescan_')),
    [],
    'no second set of process metrics',
  );
  await sink.close();
});

test('processMetrics: false adds only apachescan metrics to the app registry', async () => {
  const registry = new Registry();
  const sink = await startPrometheusExporter({ registry, processMetrics: false });
  const all = registry.getMetricsAsArray().map((m) => m.name);
  assert.ok(all.length > 0);
  assert.deepEqual(
    all.filter((name) => !name.startsWith('apachescan_')),
    [],
  );
  // The app may then call collectDefaultMetrics itself.
  collectDefaultMetrics({ register: registry });
  assert.ok(names(await samplesOf(registry)).has('process_cpu_user_seconds_total'));
  await sink.close();
});

test('a registry and a port together, or a second exporter on one registry, reject with a SinkError and leave the registry as it was', async () => {
  const registry = new Registry();
  // @ts-expect-error a port and a registry exclude each other
  await assert.rejects(startPrometheusExporter({ registry, port: 0 }), SinkError);
  await assert.rejects(startPrometheusExporter({ registry, alertWindow: 0 }), SinkError);
  assert.deepEqual(registry.getMetricsAsArray(), [], 'nothing registered by a failed start');
  const first = await startPrometheusExporter({ registry, processMetrics: false });
  const held = registry
    .getMetricsAsArray()
    .map((m) => m.name)
    .sort();
  await assert.rejects(
    startPrometheusExporter({ registry, processMetrics: false }),
    (err: unknown) => err instanceof SinkError && /already been registered/.test(err.message),
  );
  assert.deepEqual(
    registry
      .getMetricsAsArray()
      .map((m) => m.name)
      .sort(),
    held,
    "the first exporter's metrics are kept",
  );
  first.next(statsEvent(T0, 0, { hits: 1 }));
  assert.equal(byLabel(await samplesOf(registry), 'apachescan_last_interval_hits')[''], 1);
  await first.close();
});
