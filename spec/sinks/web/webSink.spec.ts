/**
 * The web sink as a library: any event stream, served as Server-Sent Events whose data lines
 * are the NDJSON lines; a page that connects late gets the retained past first; the run's
 * end is said; `linger` keeps the page up after the summary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { formatJson } from '../../../src/sinks/jsonFormat.js';
import { startWebSink } from '../../../src/sinks/web/webSink.js';
import type { MonitorEvent, StatsEvent } from '../../../src/types.js';

const META = { source: 'test.log', threshold: 10, alertWindow: 20, interval: 10 };
const stats = (i: number): StatsEvent => ({
  type: 'stats',
  start: i * 10_000,
  end: (i + 1) * 10_000,
  hits: i,
  bytes: 10 * i,
  hosts: 1,
  sections: [{ name: `/s${i}`, hits: i }],
  status: { '2xx': i },
  invalid: 0,
  late: 0,
});

interface Stream {
  frames(): Array<{ event: string; data: string }>;
  close(): void;
}

/** Reads `/events` as EventSource would (frames split on blank lines). */
function listen(port: number): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let text = '';
    const req = request({ host: '127.0.0.1', port, path: '/events', headers: { Host: `localhost:${port}` }, agent: false }, (res) => {
      assert.equal(res.statusCode, 200);
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      resolve({
        frames: () =>
          text
            .split('\n\n')
            .slice(0, -1)
            .map((block) => {
              const lines = block.split('\n');
              return {
                event: lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message',
                data: lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '',
              };
            })
            .filter((f) => !f.data.startsWith('{"idle"')),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `waited in vain for ${what}`);
}

test('live pages get reset, meta, the retained past, then every event as its NDJSON line, and end after the summary', async () => {
  const sink = await startWebSink({ port: 0, meta: META });
  try {
    const early = await listen(sink.address.port);
    await until('the first page to connect', () => sink.clients === 1);
    const events: MonitorEvent[] = [
      stats(0),
      stats(1),
      { type: 'alert', state: 'firing', at: 20_000, hits: 30, rate: 1.5, threshold: 1 },
      stats(2),
    ];
    for (const e of events) sink.next(e);
    await until('the events', () => early.frames().filter((f) => f.event === 'message').length === 4);
    const late = await listen(sink.address.port);
    await until('the late page to get the past', () => late.frames().filter((f) => f.event === 'message').length === 4);
    const lines = events.map(formatJson);
    assert.deepEqual(
      early.frames().map((f) => f.event),
      ['reset', 'meta', 'message', 'message', 'message', 'message'],
    );
    assert.deepEqual(
      early
        .frames()
        .filter((f) => f.event === 'message')
        .map((f) => f.data),
      lines,
    );
    assert.deepEqual(JSON.parse(early.frames()[1]?.data ?? ''), { mode: 'follow', ...META });
    // The late page: the stats, then the alerts (the retained past), the same lines.
    assert.deepEqual(
      late
        .frames()
        .filter((f) => f.event === 'message')
        .map((f) => f.data),
      [lines[0], lines[1], lines[3], lines[2]],
    );
    sink.next({ type: 'summary', lines: 3, parsed: 3, invalid: 0, late: 0 });
    await until('the end', () => late.frames().some((f) => f.event === 'end') && early.frames().some((f) => f.event === 'end'));
    early.close();
    late.close();
  } finally {
    const report = await sink.close();
    assert.deepEqual(report, { name: 'web', delivered: 5, undelivered: 0 });
  }
});

test('a burst (a catch-up) sends a page the intervals the history keeps, not the whole backlog: the same as a page opened after it', async () => {
  const sink = await startWebSink({ port: 0, meta: META });
  try {
    const early = await listen(sink.address.port);
    await until('the page to connect', () => sink.clients === 1);
    // 10,000 intervals of 10 s in one turn of the event loop: the history keeps the last hour, 360.
    const events = Array.from({ length: 10_000 }, (_, i) => stats(i));
    for (const e of events) sink.next(e);
    const kept = events.slice(-360).map(formatJson);
    const messages = (s: Stream): string[] =>
      s
        .frames()
        .filter((f) => f.event === 'message')
        .map((f) => f.data);
    await until('the last interval', () => messages(early).at(-1) === kept.at(-1));
    assert.deepEqual(messages(early), kept);
    const late = await listen(sink.address.port);
    await until('the late page to get the past', () => messages(late).length === kept.length);
    assert.deepEqual(messages(late), kept);
    // Then each event again, as it comes.
    sink.next(stats(10_000));
    await until('the next interval', () => messages(early).length === kept.length + 1 && messages(late).length === kept.length + 1);
    early.close();
    late.close();
  } finally {
    await sink.close();
  }
});

test('linger: after the summary the page stays up until the promise resolves; without a summary, close does not wait', async () => {
  let release = (): void => undefined;
  const linger = new Promise<void>((r) => (release = r));
  const sink = await startWebSink({ port: 0, meta: META, linger });
  sink.next({ type: 'summary', lines: 0, parsed: 0, invalid: 0, late: 0 });
  let closed = false;
  const closing = sink.close().then(() => (closed = true));
  const page = await listen(sink.address.port);
  await until('a page served while lingering', () => page.frames().some((f) => f.event === 'end'));
  assert.equal(closed, false);
  page.close();
  release();
  await closing;
  const other = await startWebSink({ port: 0, meta: META, linger: new Promise(() => undefined) });
  await other.close(); // the run did not end: no wait (this would hang otherwise)
});
