import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPrometheusExporter, type PrometheusExporter } from '../../src/sinks/prometheus/index.js';
import {
  binaryTestOptions,
  PROMETHEUS_BIN,
  startPrometheus,
  statsEvent,
  type PrometheusServer,
  type Sample,
} from '../helpers/prometheusServer.js';

// The real Prometheus scrapes the exporter every second; we feed events, wait for a scrape
// that shows them, and read the values back through its HTTP query API.

const T0 = Date.UTC(2026, 0, 1);
const options = binaryTestOptions(PROMETHEUS_BIN);
let exporter: PrometheusExporter | undefined;
let prometheus: PrometheusServer | undefined;

before(async () => {
  if (options.skip !== undefined) return;
  exporter = await startPrometheusExporter({ port: 0, maxSections: 2, alertWindow: 20_000 });
  prometheus = await startPrometheus([`127.0.0.1:${exporter.address.port}`]);
});

after(async () => {
  await prometheus?.stop();
  await exporter?.close();
});

/** `{ labelValue: value }` of one metric as Prometheus stored it. */
function byLabel(samples: Sample[], label: string): Record<string, number> {
  return Object.fromEntries(samples.map((s) => [s.metric[label] ?? '', s.value]));
}

function running(): { exporter: PrometheusExporter; prometheus: PrometheusServer } {
  assert.ok(exporter && prometheus, `prometheus did not start (${PROMETHEUS_BIN})`);
  return { exporter, prometheus };
}

test('the real Prometheus scrapes the exporter', options, async () => {
  const { prometheus } = running();
  const up = await prometheus.waitFor('up{job="apachescan"}', (s) => s[0]?.value === 1);
  assert.equal(up.length, 1);
});

test('Prometheus sees hits per section (capped, with other), responses, bytes, lines, rate, alert and time', options, async () => {
  const { exporter, prometheus } = running();
  // Two 10 s intervals; a cap of 2 section labels: /api and /img get one, /login (5) folds into
  // other with the unlisted hits: 1 + 5 + 5 = 11.
  exporter.next(
    statsEvent(T0, 0, {
      hits: 10,
      bytes: 1000,
      hosts: 3,
      sections: [
        { name: '/api', hits: 6 },
        { name: '/img', hits: 3 },
      ],
      status: { '2xx': 8, '4xx': 2 },
      invalid: 1,
    }),
  );
  exporter.next(
    statsEvent(T0, 10, {
      hits: 30,
      bytes: 5000,
      hosts: 5,
      sections: [
        { name: '/api', hits: 20 },
        { name: '/login', hits: 5 },
      ],
      status: { '2xx': 25, '5xx': 5 },
      late: 2,
    }),
  );
  exporter.next({ type: 'alert', state: 'firing', at: T0 + 20_000, hits: 40, rate: 2, threshold: 1 });

  // The last value set: once the timestamp shows up, everything before it was scraped too.
  await prometheus.waitFor('apachescan_last_interval_end_timestamp_seconds', (s) => s[0]?.value === (T0 + 20_000) / 1000);
  assert.deepEqual(byLabel(await prometheus.query('apachescan_hits_total'), 'section'), { '/api': 26, '/img': 3, other: 11 });
  assert.equal((await prometheus.query('sum(apachescan_hits_total)'))[0]?.value, 40, 'sections add up to hits');
  assert.deepEqual(byLabel(await prometheus.query('apachescan_responses_total'), 'status_class'), {
    '1xx': 0,
    '2xx': 33,
    '3xx': 0,
    '4xx': 2,
    '5xx': 5,
  });
  const one = async (expr: string): Promise<number | undefined> => (await prometheus.query(expr))[0]?.value;
  assert.equal(await one('apachescan_response_bytes_total'), 6000);
  assert.equal(await one('apachescan_invalid_lines_total'), 1);
  assert.equal(await one('apachescan_late_lines_total'), 2);
  assert.equal(await one('apachescan_alert_window_requests_per_second'), 2, '(10 + 30) hits / 20 s');
  assert.equal(await one('apachescan_alert_firing'), 1);
  assert.equal(await one('apachescan_last_interval_hits'), 30);
  assert.equal(await one('apachescan_last_interval_distinct_clients'), 5);

  // The next interval drops the first from the 20 s window, the alert recovers, and the run
  // ends with a summary that counts one more invalid line after the last interval.
  exporter.next(statsEvent(T0, 20, { hits: 0 }));
  exporter.next({ type: 'alert', state: 'recovered', at: T0 + 30_000, hits: 30, rate: 1.5, threshold: 1 });
  exporter.next({ type: 'summary', lines: 43, parsed: 40, invalid: 2, late: 2 });
  await prometheus.waitFor('apachescan_last_interval_end_timestamp_seconds', (s) => s[0]?.value === (T0 + 30_000) / 1000);
  assert.equal(await one('apachescan_alert_firing'), 0);
  assert.equal(await one('apachescan_alert_window_requests_per_second'), 1.5, '(30 + 0) hits / 20 s');
  assert.equal(await one('apachescan_last_interval_hits'), 0);
  assert.equal(await one('apachescan_invalid_lines_total'), 2);
  assert.equal(await one('apachescan_late_lines_total'), 2);
  assert.deepEqual(byLabel(await prometheus.query('apachescan_hits_total'), 'section'), { '/api': 26, '/img': 3, other: 11 });
});
