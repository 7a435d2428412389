import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { Subject, tap } from 'rxjs';
import { register as globalRegistry } from 'prom-client';
import { startPrometheusExporter, type PrometheusExporter, type PrometheusExporterOptions } from '../../../src/sinks/prometheus/index.js';
import { SinkError } from '../../../src/errors.js';
import type { MonitorEvent } from '../../../src/types.js';
import { byLabel, parseExposition, statsEvent, type TextSample } from '../../helpers/prometheusServer.js';

const T0 = Date.UTC(2026, 0, 1);

async function withExporter(
  options: Partial<PrometheusExporterOptions>,
  body: (exporter: PrometheusExporter) => Promise<void>,
): Promise<void> {
  const exporter = await startPrometheusExporter({ port: 0, ...options });
  try {
    await body(exporter);
  } finally {
    await exporter.close();
  }
}

async function scrape(exporter: PrometheusExporter): Promise<TextSample[]> {
  const res = await fetch(exporter.url);
  assert.equal(res.status, 200);
  return parseExposition(await res.text());
}

const value = (samples: TextSample[], name: string): number | undefined => byLabel(samples, name)[''];

test('a fresh exporter serves every metric, with other and the status classes at 0', async () => {
  await withExporter({}, async (exporter) => {
    assert.equal(exporter.address.host, '127.0.0.1');
    assert.ok(exporter.address.port > 0);
    assert.equal(exporter.url, `http://127.0.0.1:${exporter.address.port}/metrics`);
    const res = await fetch(exporter.url);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    assert.match(text, /^# HELP apachescan_hits_total /m);
    assert.match(text, /^# TYPE apachescan_hits_total counter$/m);
    assert.match(text, /^# TYPE apachescan_alert_window_requests_per_second gauge$/m);
    const samples = parseExposition(text);
    assert.deepEqual(byLabel(samples, 'apachescan_hits_total', 'section'), { other: 0 });
    assert.deepEqual(byLabel(samples, 'apachescan_responses_total', 'status_class'), { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 });
    for (const name of [
      'response_bytes_total',
      'invalid_lines_total',
      'late_lines_total',
      'alert_window_requests_per_second',
      'alert_firing',
      'last_interval_end_timestamp_seconds',
      'last_interval_hits',
      'last_interval_distinct_clients',
    ]) {
      assert.equal(value(samples, `apachescan_${name}`), 0, name);
    }
    assert.equal(value(samples, 'apachescan_alert_threshold_requests_per_second'), 10, 'the default threshold');
    assert.ok(
      !samples.some((s) => !/^(apachescan|process|nodejs)_/.test(s.name)),
      'only apachescan, process and Node.js metrics (a private registry)',
    );
  });
});

test('metric names follow the Prometheus conventions: base units, _total on counters, _info', async () => {
  await withExporter({ threshold: 25 }, async (exporter) => {
    const res = await fetch(exporter.url);
    const text = await res.text();
    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const ours = [...types].filter(([name]) => name.startsWith('apachescan_'));
    assert.ok(ours.length >= 11);
    for (const [name, type] of ours) {
      if (type === 'counter') assert.match(name, /_total$/, name);
      else assert.doesNotMatch(name, /_total$/, name);
      assert.doesNotMatch(name, /_(ms|milliseconds|kb|kib|mb|minutes|hours)(_|$)/, `${name}: base units only`);
    }
    assert.equal(types.get('apachescan_alert_window_requests_per_second'), 'gauge');
    assert.equal(types.get('apachescan_last_interval_end_timestamp_seconds'), 'gauge');
    assert.equal(types.get('apachescan_response_bytes_total'), 'counter');
    const samples = parseExposition(text);
    assert.equal(value(samples, 'apachescan_alert_threshold_requests_per_second'), 25);
    const info = samples.filter((s) => s.name === 'apachescan_build_info');
    assert.equal(info.length, 1);
    assert.equal(info[0]?.value, 1);
    assert.match(info[0]?.labels['version'] ?? '', /^\d+\.\d+\.\d+/);
    assert.equal(info[0]?.labels['nodejs_version'], process.version);
    // The process metrics Prometheus users expect from any exporter.
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      assert.ok(
        samples.some((s) => s.name === name),
        `${name} is served`,
      );
    }
  });
});

test('stats and alert events become counters and gauges in /metrics', async () => {
  await withExporter({ alertWindow: 20_000 }, async (exporter) => {
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
    let s = await scrape(exporter);
    assert.deepEqual(byLabel(s, 'apachescan_hits_total', 'section'), { '/api': 26, '/img': 3, '/login': 5, other: 6 });
    assert.deepEqual(byLabel(s, 'apachescan_responses_total', 'status_class'), { '1xx': 0, '2xx': 33, '3xx': 0, '4xx': 2, '5xx': 5 });
    assert.equal(value(s, 'apachescan_response_bytes_total'), 6000);
    assert.equal(value(s, 'apachescan_invalid_lines_total'), 1);
    assert.equal(value(s, 'apachescan_late_lines_total'), 2);
    assert.equal(value(s, 'apachescan_alert_window_requests_per_second'), 2, '(10 + 30) hits / 20 s');
    assert.equal(value(s, 'apachescan_alert_firing'), 1);
    assert.equal(value(s, 'apachescan_last_interval_end_timestamp_seconds'), (T0 + 20_000) / 1000);
    assert.equal(value(s, 'apachescan_last_interval_hits'), 30);
    assert.equal(value(s, 'apachescan_last_interval_distinct_clients'), 5);

    // The first interval leaves the 20 s window; a gap counts as zero hits.
    exporter.next(statsEvent(T0, 20, { hits: 4, hosts: 1, sections: [{ name: '/', hits: 4 }], status: { '3xx': 4 } }));
    exporter.next({ type: 'alert', state: 'recovered', at: T0 + 30_000, hits: 34, rate: 1.7, threshold: 1 });
    s = await scrape(exporter);
    assert.equal(value(s, 'apachescan_alert_window_requests_per_second'), 1.7, '(30 + 4) / 20 s');
    assert.equal(value(s, 'apachescan_alert_firing'), 0);
    exporter.next(statsEvent(T0, 60, { hits: 2 }));
    s = await scrape(exporter);
    assert.equal(value(s, 'apachescan_alert_window_requests_per_second'), 0.1, 'only the interval at 60 s is in the window');
    assert.deepEqual(byLabel(s, 'apachescan_hits_total', 'section'), { '/api': 26, '/img': 3, '/login': 5, '/': 4, other: 8 });
    assert.equal(value(s, 'apachescan_last_interval_hits'), 2);
    assert.equal(value(s, 'apachescan_last_interval_distinct_clients'), 0);
  });
});

test('hits per section always add up to the hits of the events', async () => {
  await withExporter({ maxSections: 2, top: 2 }, async (exporter) => {
    let hits = 0;
    for (let i = 0; i < 200; i++) {
      const sections = [
        { name: `/scan${i}`, hits: 3 },
        { name: '/api', hits: 2 },
        { name: `/z${i}`, hits: 1 },
      ];
      exporter.next(statsEvent(T0, i * 10, { hits: 7, sections }));
      hits += 7;
    }
    const s = await scrape(exporter);
    const bySection = byLabel(s, 'apachescan_hits_total', 'section');
    assert.deepEqual(Object.keys(bySection).sort(), ['/api', '/scan0', 'other'], 'cap of 2 labels plus other');
    assert.equal(
      Object.values(bySection).reduce((a, b) => a + b, 0),
      hits,
    );
    assert.equal(bySection['/api'], 400);
  });
});

test('a summary tops up invalid and late lines seen after the last interval', async () => {
  await withExporter({}, async (exporter) => {
    exporter.next(statsEvent(T0, 0, { hits: 1, invalid: 2, late: 1 }));
    exporter.next({ type: 'summary', lines: 10, parsed: 5, invalid: 5, late: 1 });
    let s = await scrape(exporter);
    assert.equal(value(s, 'apachescan_invalid_lines_total'), 5);
    assert.equal(value(s, 'apachescan_late_lines_total'), 1);
    // A second run (another file) starts counting afresh; counters keep growing.
    exporter.next(statsEvent(T0, 10, { invalid: 1 }));
    exporter.next({ type: 'summary', lines: 1, parsed: 0, invalid: 1, late: 0 });
    s = await scrape(exporter);
    assert.equal(value(s, 'apachescan_invalid_lines_total'), 6);
  });
});

test('odd values never throw and never decrease a counter', async () => {
  await withExporter({ alertWindow: 10_000 }, async (exporter) => {
    exporter.next(
      statsEvent(T0, 0, { hits: Number.NaN, bytes: -5, sections: [{ name: '/a', hits: Number.POSITIVE_INFINITY }], status: { '2xx': -1 } }),
    );
    // An interval longer than the alert window: its own average.
    exporter.next(statsEvent(T0, 10, { hits: 60, length: 60 }));
    const s = await scrape(exporter);
    assert.equal(value(s, 'apachescan_response_bytes_total'), 0);
    assert.equal(byLabel(s, 'apachescan_hits_total', 'section')['/a'], 0);
    assert.equal(value(s, 'apachescan_alert_window_requests_per_second'), 1);
  });
});

test('the observer plugs into an RxJS pipeline', async () => {
  await withExporter({}, async (exporter) => {
    const events = new Subject<MonitorEvent>();
    const seen: MonitorEvent[] = [];
    events.pipe(tap(exporter.observer)).subscribe((e) => seen.push(e));
    events.next(statsEvent(T0, 0, { hits: 3, sections: [{ name: '/x', hits: 3 }], status: { '2xx': 3 } }));
    events.complete();
    assert.equal(seen.length, 1);
    const s = await scrape(exporter);
    assert.equal(byLabel(s, 'apachescan_hits_total', 'section')['/x'], 3);
  });
});

test("the exporter does not use prom-client's global registry", async () => {
  await withExporter({}, async (exporter) => {
    exporter.next(statsEvent(T0, 0, { hits: 1 }));
    assert.equal(globalRegistry.getSingleMetric('apachescan_hits_total'), undefined);
  });
  // Two exporters side by side: no "already registered" error.
  await withExporter({}, async (a) => withExporter({}, async (b) => assert.notEqual(a.address.port, b.address.port)));
});

test('GET /metrics only: 404 elsewhere, 405 for other methods, HEAD allowed, query ignored', async () => {
  await withExporter({}, async (exporter) => {
    const base = `http://127.0.0.1:${exporter.address.port}`;
    assert.equal((await fetch(`${base}/`)).status, 404);
    assert.equal((await fetch(`${base}/metrics/x`)).status, 404);
    assert.equal((await fetch(`${base}/metricsx`)).status, 404);
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`${base}/metrics?x=1`)).status, 200);
  });
});

test('a port in use rejects with a one-line SinkError', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    await assert.rejects(startPrometheusExporter({ port }), (err: unknown) => {
      assert.ok(err instanceof SinkError);
      assert.equal(err.name, 'SinkError');
      assert.equal(err.code, 'EADDRINUSE');
      assert.equal(err.message, `cannot listen on 127.0.0.1:${port}: address already in use`);
      return true;
    });
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
  }
});

test('bad options reject with a SinkError', async () => {
  for (const options of [
    { port: -1 },
    { port: 70_000 },
    { port: 1.5 },
    { port: 0, maxSections: -1 },
    { port: 0, top: -2 },
    { port: 0, alertWindow: 0 },
  ]) {
    await assert.rejects(startPrometheusExporter(options), SinkError, JSON.stringify(options));
  }
  await assert.rejects(
    startPrometheusExporter({ port: 0, host: '203.0.113.1' }),
    /cannot listen on 203\.0\.113\.1:0: address not available/,
  );
});

test('close() stops listening, is idempotent, and also ends kept-alive connections', async () => {
  const exporter = await startPrometheusExporter({ port: 0 });
  const res = await fetch(exporter.url, { keepalive: true });
  await res.text();
  await Promise.all([exporter.close(), exporter.close()]);
  await exporter.close();
  await assert.rejects(fetch(exporter.url));
  exporter.next(statsEvent(T0, 0, { hits: 1 })); // harmless after close
});

test('listens on IPv6 loopback when asked', async (t) => {
  if (!(await canListen('::1'))) return t.skip('no IPv6 loopback here');
  await withExporter({ host: '::1' }, async (exporter) => {
    assert.equal(exporter.url, `http://[::1]:${exporter.address.port}/metrics`);
    assert.equal((await fetch(exporter.url)).status, 200);
  });
});

function canListen(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, host, () => server.close(() => resolve(true)));
  });
}
