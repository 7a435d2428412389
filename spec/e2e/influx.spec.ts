import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { createInfluxWriter, type InfluxWriter } from '../../src/sinks/influx/index.js';
import { createEncoder, encodeEvent } from '../../src/sinks/influx/lineProtocol.js';
import type { AlertEvent, MonitorEvent, StatsEvent } from '../../src/types.js';
import { influxdAvailable, requireInfluxd, startInfluxServer, type InfluxServer } from '../helpers/influxServer.js';
import { freePort } from '../helpers/system.js';

// Against the real InfluxDB 1.x daemon (Debian package `influxdb`), started by the tests on loopback.

const T0 = Date.UTC(2026, 0, 1); // 1767225600000 ms
const S0 = T0 / 1000;
const HOSTILE = ['/a b', '/a,b=c', '/"quoted"', '/back\\slash\\', '/new\nline', '/tab\tx', '/ünï😀'];

function stats(i: number, over: Partial<StatsEvent> = {}): StatsEvent {
  return {
    type: 'stats',
    start: T0 + i * 10_000,
    end: T0 + (i + 1) * 10_000,
    hits: 10 * i + 5,
    bytes: 1000 * i + 7,
    hosts: i + 1,
    sections: [{ name: '/api', hits: 3 * i + 2 }],
    status: { '2xx': 10 * i + 4, '4xx': 1 },
    invalid: i,
    late: i % 2,
    ...over,
  };
}
const alert = (state: 'firing' | 'recovered', atS: number, hits: number): AlertEvent => ({
  type: 'alert',
  state,
  at: T0 + atS * 1000,
  hits,
  rate: hits / 20,
  threshold: 1,
});
/** The window ends (s) of a list of stats events. */
const ends = (events: readonly StatsEvent[]): number[] => events.map((e) => e.end / 1000);

let server: InfluxServer | undefined;
const writers: InfluxWriter[] = [];
const extraServers: InfluxServer[] = [];

before(async () => {
  if (influxdAvailable()) server = await startInfluxServer();
});

after(async () => {
  await Promise.all(writers.map((w) => w.close()));
  for (const s of [...extraServers.reverse(), server]) await s?.stop();
});

function newWriter(
  url: string,
  options: Partial<Parameters<typeof createInfluxWriter>[0]> = {},
): { writer: InfluxWriter; warnings: string[] } {
  const warnings: string[] = [];
  const writer = createInfluxWriter({ url, onWarning: (m) => warnings.push(m), ...options });
  writers.push(writer);
  return { writer, warnings };
}

test('stats, sections and alerts round-trip: values, field types and window-end timestamps', async (t) => {
  if (!requireInfluxd(t) || server === undefined) return;
  const windows = [
    stats(0),
    stats(1, { sections: HOSTILE.map((name, k) => ({ name, hits: k + 1 })), status: { '2xx': 9, '3xx': 2, '5xx': 4 } }),
    stats(2, { hits: 0, bytes: 0, hosts: 0, sections: [], status: {} }),
  ];
  const events: MonitorEvent[] = [
    windows[0]!,
    windows[1]!,
    alert('firing', 20, 35),
    windows[2]!,
    alert('recovered', 30, 4),
    { type: 'summary', lines: 9, parsed: 9, invalid: 0, late: 0 },
  ];
  const { writer, warnings } = newWriter(`${server.url}/write?db=web`, { tags: { host: 'test-host' }, batchSize: 4 });
  for (const e of events) writer.next(e);
  await writer.flush();
  const expectedPoints = events.flatMap((e) => encodeEvent(e)).length;
  assert.deepEqual(writer.stats(), { written: expectedPoints, dropped: 0, retries: 0, buffered: 0 });
  assert.deepEqual(warnings, []);

  const intervals = await server.rows('SELECT * FROM "apachescan_interval" ORDER BY time');
  assert.deepEqual(
    intervals.map((r) => r['time']),
    ends(windows),
  );
  assert.deepEqual(intervals[0], {
    time: S0 + 10,
    host: 'test-host',
    hits: 5,
    bytes: 7,
    hosts: 1,
    invalid: 0,
    late: 0,
    rate: 0.5,
    alert_rate: 5 / 120,
    alert_threshold: 10,
    status_1xx: 0,
    status_2xx: 4,
    status_3xx: 0,
    status_4xx: 1,
    status_5xx: 0,
  });
  assert.deepEqual(
    intervals.map((r) => [r['hits'], r['bytes'], r['invalid'], r['late'], r['status_2xx'], r['status_3xx'], r['status_5xx']]),
    [
      [5, 7, 0, 0, 4, 0, 0],
      [15, 1007, 1, 1, 9, 2, 4],
      [0, 0, 2, 0, 0, 0, 0],
    ],
  );

  const types = Object.fromEntries(
    (await server.rows('SHOW FIELD KEYS FROM "apachescan_interval"')).map((r) => [r['fieldKey'], r['fieldType']]),
  );
  assert.equal(types['hits'], 'integer');
  assert.equal(types['status_4xx'], 'integer');
  assert.equal(types['rate'], 'float');

  const sections = await server.rows('SELECT "hits", "section" FROM "apachescan_section" ORDER BY time');
  assert.deepEqual(
    sections.filter((r) => r['time'] === S0 + 10),
    [{ time: S0 + 10, hits: 2, section: '/api' }],
  );
  const hostile = sections.filter((r) => r['time'] === S0 + 20).map((r) => [r['section'], r['hits']]);
  // Commas, spaces, = and quotes come back as they were; backslashes and control characters as \xHH.
  const stored = ['/a b', '/a,b=c', '/"quoted"', '/back\\x5cslash\\x5c', '/new\\x0aline', '/tab\\x09x', '/ünï😀'];
  assert.deepEqual(hostile.sort(), stored.map((name, k) => [name, k + 1]).sort());

  const alerts = await server.rows('SELECT "state", "hits", "rate", "threshold", "message", "host" FROM "apachescan_alert" ORDER BY time');
  assert.deepEqual(alerts, [
    {
      time: S0 + 20,
      state: 'firing',
      hits: 35,
      rate: 1.75,
      threshold: 1,
      message: 'High traffic generated an alert - hits = 35, triggered at 2026-01-01T00:00:20Z',
      host: 'test-host',
    },
    {
      time: S0 + 30,
      state: 'recovered',
      hits: 4,
      rate: 0.2,
      threshold: 1,
      message: 'Traffic recovered - hits = 4, recovered at 2026-01-01T00:00:30Z',
      host: 'test-host',
    },
  ]);
});

test('precision=s in the URL is honoured; a missing database (HTTP 404) drops the batch with a warning', async (t) => {
  if (!requireInfluxd(t) || server === undefined) return;
  await server.command('CREATE DATABASE "secs"');
  const seconds = newWriter(`${server.url}/write?db=secs&precision=s`);
  seconds.writer.next(stats(5));
  await seconds.writer.flush();
  assert.deepEqual(await server.rows('SELECT "hits" FROM "apachescan_interval"', 'secs'), [{ time: S0 + 60, hits: 55 }]);

  const missing = newWriter(`${server.url}/write?db=nosuchdb`);
  missing.writer.next(stats(0));
  await missing.writer.flush();
  assert.deepEqual(missing.writer.stats(), { written: 0, dropped: 2, retries: 0, buffered: 0 });
  assert.equal(missing.warnings.length, 1);
  assert.match(missing.warnings[0] ?? '', /rejected 2 of 2 point\(s\), dropped them \(HTTP 404: database not found: "nosuchdb"\)/);
});

test('server not running yet: points are retried with backoff and all arrive once influxd starts, none duplicated', {
  timeout: 30_000,
}, async (t) => {
  if (!requireInfluxd(t)) return;
  // Prepare a data folder holding the database, then stop: the port is closed when the writer starts.
  const port = await freePort();
  const prepared = await startInfluxServer({ port });
  await prepared.stop({ keepData: true });
  extraServers.push(prepared); // stop() again only removes the folder if the test fails early

  const delivered: string[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (res.ok) delivered.push(String(init?.body));
    return res;
  };
  const { writer, warnings } = newWriter(`http://127.0.0.1:${port}/write?db=web`, {
    batchSize: 10,
    maxRetryDelay: 1000,
    fetch: recordingFetch,
  });
  const windows = Array.from({ length: 20 }, (_, i) =>
    stats(i, {
      sections: [
        { name: '/api', hits: i },
        { name: `/s${i}`, hits: 1 },
      ],
    }),
  );
  const events: MonitorEvent[] = [...windows, alert('firing', 100, 500), alert('recovered', 200, 3)];
  for (const e of events) writer.next(e);
  const encode = createEncoder(); // one encoder for the stream, as the writer's (alert_rate slides)
  const expected = events.flatMap((e) => encode(e));
  assert.equal(expected.length, 62);

  const deadline = Date.now() + 10_000;
  while (writer.stats().retries < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(writer.stats().retries >= 2, 'the writer retried while the server was down');
  assert.equal(writer.stats().written, 0);
  assert.match(
    warnings[0] ?? '',
    new RegExp(`cannot write to http://127\\.0\\.0\\.1:${port}/write\\?db=web&precision=ms \\(fetch failed: ECONNREFUSED\\); retrying`),
  );

  const restarted = await startInfluxServer({ port, dir: prepared.dir });
  extraServers.push(restarted);
  await writer.flush();
  assert.deepEqual({ ...writer.stats(), retries: 0 }, { written: 62, dropped: 0, retries: 0, buffered: 0 });
  assert.ok(
    warnings.some((w) => w.includes('accepts writes again')),
    warnings.join('\n'),
  );

  // Client side: every line was accepted exactly once, in order.
  assert.deepEqual(
    delivered.flatMap((body) => body.split('\n')),
    expected,
  );
  // Server side: every point is there once, with its window end.
  const counts = await restarted.rows('SELECT count("hits") FROM "apachescan_interval"');
  assert.equal(counts[0]?.['count'], 20);
  assert.deepEqual(
    (await restarted.rows('SELECT "hits" FROM "apachescan_interval"')).map((r) => r['time']),
    ends(windows),
  );
  assert.equal((await restarted.rows('SELECT count("hits") FROM "apachescan_section"'))[0]?.['count'], 40);
  assert.deepEqual(
    (await restarted.rows('SELECT "hits" FROM "apachescan_alert"')).map((r) => [r['time'], r['hits']]),
    [
      [S0 + 100, 500],
      [S0 + 200, 3],
    ],
  );
});

test('every query of the Grafana dashboard runs on InfluxDB and returns data, with and without a host tag', async (t) => {
  if (!requireInfluxd(t) || server === undefined) return;
  await server.command('CREATE DATABASE "dash"');
  const tagged = newWriter(`${server.url}/write?db=dash`, { tags: { host: 'web1' } });
  const untagged = newWriter(`${server.url}/write?db=dash&rp=autogen`);
  for (let i = 0; i < 6; i++) {
    tagged.writer.next(stats(i));
    untagged.writer.next(stats(i + 10));
  }
  for (const w of [tagged.writer, untagged.writer]) {
    w.next(alert('firing', 30, 100));
    w.next(alert('recovered', 50, 1));
  }
  await Promise.all([tagged.writer.flush(), untagged.writer.flush()]);

  const dashboard = JSON.parse(readFileSync(join(ROOT, 'samples/grafana/apachescan-dashboard.json'), 'utf8')) as {
    panels: { title: string; targets: { query: string }[] }[];
    annotations: { list: { name: string; query?: string }[] };
    templating: { list: { name: string; query: string }[] };
  };
  const queries = [
    ...dashboard.panels.flatMap((p) => p.targets.map((x) => [p.title, x.query] as const)),
    ...dashboard.annotations.list.filter((a) => a.query !== undefined).map((a) => [a.name, a.query ?? ''] as const),
  ];
  assert.ok(queries.length >= 8);
  const range = `time >= ${T0}ms AND time <= ${T0 + 3_600_000}ms`;
  for (const host of ['.*', 'web1']) {
    for (const [title, query] of queries) {
      const q = query.replaceAll('$timeFilter', range).replaceAll('$__interval', '10s').replaceAll('$host', host);
      const result = await server.query(q, 'dash');
      assert.ok((result.results[0]?.series?.length ?? 0) > 0, `${title} (host ${host}): no data for ${q}`);
    }
  }
  // Untagged points (no `host`) are still shown with "All".
  const all = await server.rows(`SELECT sum("hits") FROM "apachescan_interval" WHERE ("host" =~ /^.*$/) AND ${range}`, 'dash');
  const sum = [...Array(6).keys()].reduce((acc, i) => acc + stats(i).hits + stats(i + 10).hits, 0);
  assert.equal(all[0]?.['sum'], sum);
  const hostVar = dashboard.templating.list.find((v) => v.name === 'host');
  assert.deepEqual(
    (await server.rows(hostVar?.query ?? '', 'dash')).map((r) => r['value']),
    ['web1'],
  );
});
