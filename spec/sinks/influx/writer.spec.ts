import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualScheduler } from '../../helpers/manualScheduler.js';
import { createInfluxWriter, type InfluxWriterOptions } from '../../../src/sinks/influx/index.js';
import { SinkError } from '../../../src/errors.js';
import { PointQueue } from '../../../src/sinks/influx/pointQueue.js';
import type { AlertEvent, StatsEvent } from '../../../src/types.js';

type Reply = number | Error | Response | 'hang';
interface Call {
  readonly at: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** A fetch that answers from `reply(callIndex)` and records every call with its virtual time. */
function fakeFetch(scheduler: ManualScheduler, reply: (call: number) => Reply) {
  const calls: Call[] = [];
  const fn = (async (_url: string | URL | Request, init?: RequestInit) => {
    const call = calls.length;
    calls.push({ at: scheduler.now(), body: String(init?.body), headers: { ...(init?.headers as Record<string, string>) } });
    const r = reply(call);
    if (r === 'hang') {
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    if (r instanceof Error) throw r;
    return typeof r === 'number' ? new Response(r === 204 ? null : `{"error":"status ${r}"}`, { status: r }) : r;
  }) as typeof fetch;
  return { fetch: fn, calls };
}

const T0 = Date.UTC(2026, 0, 1);
const alertAt = (i: number): AlertEvent => ({ type: 'alert', state: 'firing', at: T0 + i * 10_000, hits: i, rate: i / 10, threshold: 1 });
const statsAt = (i: number): StatsEvent => ({
  type: 'stats',
  start: T0 + i * 10_000,
  end: T0 + (i + 1) * 10_000,
  hits: i,
  bytes: 0,
  hosts: 0,
  sections: [{ name: '/a', hits: i }],
  status: {},
  invalid: 0,
  late: 0,
});
const refused = (): Error =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
const lines = (calls: readonly Call[]): string[] => calls.flatMap((c) => c.body.split('\n'));
const stamp = (line: string): number => Number(line.slice(line.lastIndexOf(' ') + 1));

function setup(reply: (call: number) => Reply, options: Partial<InfluxWriterOptions> = {}) {
  const scheduler = new ManualScheduler();
  const { fetch, calls } = fakeFetch(scheduler, reply);
  const warnings: string[] = [];
  // No jitter: the retries come at the plain doubling's times (the jitter has its own spec, retryBackoff).
  const writer = createInfluxWriter({
    url: 'http://influx.test:8086/write?db=web',
    scheduler,
    fetch,
    random: () => 0,
    onWarning: (m) => warnings.push(m),
    ...options,
  });
  return { scheduler, calls, warnings, writer };
}

test('a full batch goes out at once; the rest waits for the flush interval', async () => {
  const { scheduler, calls, writer } = setup(() => 204, { batchSize: 3, flushInterval: 1000 });
  writer.next(statsAt(0)); // 2 points: interval + section
  writer.next(statsAt(1)); // 2 more: the first 3 go at once
  await scheduler.advance(0);
  assert.equal(calls.length, 1);
  assert.equal(lines(calls).length, 3);
  await scheduler.advance(999);
  assert.equal(calls.length, 1);
  await scheduler.advance(1);
  assert.equal(calls.length, 2);
  assert.deepEqual(lines(calls).map(stamp), [T0 + 10_000, T0 + 10_000, T0 + 20_000, T0 + 20_000]);
  assert.deepEqual(writer.stats(), { written: 4, dropped: 0, retries: 0, buffered: 0 });
  assert.equal(scheduler.pending, 0, 'an idle writer holds no timer');
  assert.equal(calls[0]?.headers['Content-Type'], 'text/plain; charset=utf-8');
});

test('flush() sends a partial batch without waiting and resolves once it is written', async () => {
  const { scheduler, calls, writer } = setup(() => 204, { flushInterval: 60_000 });
  writer.next(alertAt(1));
  let done = false;
  const flushed = writer.flush().then(() => (done = true));
  await scheduler.advance(0);
  await flushed;
  assert.equal(done, true);
  assert.equal(calls.length, 1);
  assert.equal(writer.stats().written, 1);
  await writer.flush(); // nothing buffered: resolves at once
});

test('server down, 5xx and 429: exponential backoff capped, then in-order delivery without duplicates', async () => {
  const failures: Reply[] = [refused(), 503, 500, 429, refused(), 502, refused(), 503];
  const { scheduler, calls, writer, warnings } = setup((i) => failures[i] ?? 204, { batchSize: 2, retryDelay: 250, maxRetryDelay: 2000 });
  for (let i = 0; i < 5; i++) writer.next(alertAt(i));
  await scheduler.advance(60_000);
  const gaps = calls.slice(1, 9).map((c, i) => c.at - (calls[i]?.at ?? 0));
  assert.deepEqual(gaps, [250, 500, 1000, 2000, 2000, 2000, 2000, 2000]);
  const delivered = calls
    .slice(8)
    .flatMap((c) => c.body.split('\n'))
    .map(stamp);
  assert.deepEqual(
    delivered,
    [0, 1, 2, 3, 4].map((i) => T0 + i * 10_000),
  );
  assert.deepEqual(writer.stats(), { written: 5, dropped: 0, retries: 8, buffered: 0 });
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(
    warnings[0] ?? '',
    /^influx: cannot write to http:\/\/influx\.test:8086\/write\?db=web&precision=ms \(fetch failed: ECONNREFUSED\); retrying/,
  );
  assert.match(warnings[1] ?? '', /accepts writes again after 8 failed attempt/);
  assert.equal(scheduler.pending, 0);
});

test('Retry-After on 429/503 is honoured, capped by maxRetryDelay', async () => {
  const busy = (seconds: string): Response => new Response('', { status: 429, headers: { 'Retry-After': seconds } });
  const { scheduler, calls, writer } = setup((i) => (i === 0 ? busy('3') : i === 1 ? busy('3600') : 204), { maxRetryDelay: 10_000 });
  writer.next(alertAt(0));
  void writer.flush();
  await scheduler.advance(30_000);
  assert.deepEqual(
    calls.map((c) => c.at),
    [0, 3000, 13_000],
  );
});

test('4xx other than 429: that batch is dropped with a warning, the next one still goes', async () => {
  const bad = new Response('{"error":"unable to parse \'x\': bad timestamp\\nsecond line"}', { status: 400 });
  const { scheduler, calls, writer, warnings } = setup((i) => (i === 0 ? bad : 204), { batchSize: 2 });
  for (let i = 0; i < 3; i++) writer.next(alertAt(i));
  await scheduler.advance(5000);
  assert.equal(calls.length, 2);
  assert.deepEqual(writer.stats(), { written: 1, dropped: 2, retries: 0, buffered: 0 });
  assert.deepEqual(warnings, [
    "influx: http://influx.test:8086/write?db=web&precision=ms rejected 2 of 2 point(s), dropped them (HTTP 400: unable to parse 'x': bad timestamp second line)",
  ]);
});

test('a 1.x partial write counts only the rejected points as dropped', async () => {
  const partial = new Response('', {
    status: 400,
    headers: { 'X-Influxdb-Error': 'partial write: field type conflict: input field "hits" ... dropped=1' },
  });
  const { scheduler, writer } = setup((i) => (i === 0 ? partial : 204), { batchSize: 3 });
  for (let i = 0; i < 3; i++) writer.next(alertAt(i));
  await scheduler.advance(0);
  assert.deepEqual(writer.stats(), { written: 2, dropped: 1, retries: 0, buffered: 0 });
});

test('bounded buffer: while the server is down the OLDEST points are dropped and counted', async () => {
  let down = true;
  const { scheduler, calls, writer, warnings } = setup(() => (down ? refused() : 204), {
    batchSize: 4,
    maxBuffered: 10,
    retryDelay: 100,
    maxRetryDelay: 100,
  });
  for (let i = 0; i < 100; i++) {
    writer.next(alertAt(i));
    const s = writer.stats();
    assert.ok(s.buffered <= 10, `buffered ${s.buffered} after ${i + 1} points`);
    assert.equal(s.written + s.dropped + s.buffered, i + 1);
    if (i % 10 === 0) await scheduler.advance(100);
  }
  assert.deepEqual({ ...writer.stats(), retries: 0 }, { written: 0, dropped: 90, retries: 0, buffered: 10 });
  assert.equal(warnings.filter((w) => w.includes('buffer full (10 points): dropping the oldest')).length, 1);
  down = false;
  const before = calls.length;
  await scheduler.advance(1000);
  assert.deepEqual(
    lines(calls.slice(before)).map(stamp),
    Array.from({ length: 10 }, (_, k) => T0 + (90 + k) * 10_000),
  );
  assert.deepEqual({ ...writer.stats(), retries: 0 }, { written: 10, dropped: 90, retries: 0, buffered: 0 });
});

test('bounded buffer: 200 000 points through a dead server never hold more than maxBuffered', async () => {
  const { scheduler, writer } = setup(() => refused(), { maxBuffered: 1000 });
  let peak = 0;
  for (let i = 0; i < 200_000; i++) {
    writer.next(alertAt(i));
    if (i % 1000 === 0) await scheduler.advance(50);
    peak = Math.max(peak, writer.stats().buffered);
  }
  assert.equal(peak, 1000);
  assert.equal(writer.stats().dropped, 199_000);
});

test('PointQueue storage is compacted: dropping from the front frees memory', () => {
  const q = new PointQueue();
  for (let i = 0; i < 100_000; i++) {
    q.push({ seq: i, line: `p${i}` });
    q.dropOldest(q.size - 100);
  }
  assert.equal(q.size, 100);
  assert.equal(q.front()?.seq, 99_900);
  assert.ok((q as unknown as { items: unknown[] }).items.length <= 2 * 1024 + 100);
  q.putBack([{ seq: -1, line: 'old' }]);
  assert.deepEqual(
    q.take(2).map((p) => p.seq),
    [-1, 99_900],
  );
});

test('a hanging request is aborted after requestTimeout and retried', async () => {
  const { scheduler, calls, writer, warnings } = setup((i) => (i === 0 ? 'hang' : 204), { requestTimeout: 2000, retryDelay: 250 });
  writer.next(alertAt(0));
  void writer.flush();
  await scheduler.advance(5000);
  assert.deepEqual(
    calls.map((c) => c.at),
    [0, 2250],
  );
  assert.match(warnings[0] ?? '', /request timed out/);
  assert.deepEqual(writer.stats(), { written: 1, dropped: 0, retries: 1, buffered: 0 });
});

test('close() gives up after closeTimeout: the rest counts as dropped, no timer is left, later writes are ignored', async () => {
  const { scheduler, calls, writer, warnings } = setup(() => refused(), { closeTimeout: 3000, retryDelay: 250, maxRetryDelay: 30_000 });
  for (let i = 0; i < 3; i++) writer.next(alertAt(i));
  await scheduler.advance(20_000); // in a long backoff by now
  const attempts = calls.length;
  let closed = false;
  const closing = writer.close().then(() => (closed = true));
  await scheduler.advance(0);
  assert.equal(calls.length, attempts + 1, 'close() retries at once instead of waiting out the backoff');
  await scheduler.advance(2999);
  assert.equal(closed, false);
  await scheduler.advance(1);
  await closing;
  assert.equal(scheduler.pending, 0);
  assert.deepEqual({ ...writer.stats(), retries: 0 }, { written: 0, dropped: 3, retries: 0, buffered: 0 });
  assert.match(warnings.at(-1) ?? '', /closed with 3 point\(s\) not written/);
  writer.next(alertAt(9));
  await scheduler.advance(10_000);
  assert.equal(scheduler.pending, 0);
  assert.equal(writer.stats().dropped, 4);
  assert.equal(writer.close(), writer.close(), 'close() is idempotent');
  await writer.flush();
});

test('close() with a healthy server resolves once everything is written', async () => {
  const { scheduler, calls, writer } = setup(() => 204, { flushInterval: 60_000, batchSize: 2 });
  for (let i = 0; i < 5; i++) writer.next(alertAt(i));
  const closing = writer.close();
  await scheduler.advance(0);
  await closing;
  assert.equal(calls.length, 3);
  assert.deepEqual(writer.stats(), { written: 5, dropped: 0, retries: 0, buffered: 0 });
  assert.equal(scheduler.pending, 0);
});

test('write() never throws: a throwing event or warning callback is contained', async () => {
  const { writer, warnings } = setup(() => 204);
  const hostile = new Proxy(alertAt(0), {
    get(target, key) {
      if (key === 'at') throw new Error('boom');
      return Reflect.get(target, key) as unknown;
    },
  });
  assert.doesNotThrow(() => writer.next(hostile));
  assert.match(warnings[0] ?? '', /event not written: boom/);
  const silent = createInfluxWriter({
    url: 'http://h/write?db=web',
    scheduler: new ManualScheduler(),
    fetch: (() => {
      throw new Error('sync throw');
    }) as typeof fetch,
    onWarning: () => {
      throw new Error('warning sink broken');
    },
  });
  assert.doesNotThrow(() => silent.next(hostile));
  assert.doesNotThrow(() => silent.next(alertAt(1)));
});

test('options are validated up front with SinkError', () => {
  const url = 'http://h:8086/write?db=web';
  assert.throws(() => createInfluxWriter({ url: 'ftp://h/write?db=web' }), { name: 'SinkError', message: /scheme must be http or https/ });
  assert.throws(() => createInfluxWriter({ url, batchSize: 0 }), { name: 'SinkError', message: /batchSize 0: expected an integer >= 1/ });
  assert.throws(() => createInfluxWriter({ url, maxBuffered: 1.5 }), SinkError);
  assert.throws(() => createInfluxWriter({ url, flushInterval: -1 }), SinkError);
  assert.throws(() => createInfluxWriter({ url, tags: { state: 'x' } }), SinkError);
  assert.equal(
    createInfluxWriter({ url, token: 't', scheduler: new ManualScheduler() }).endpoint,
    'http://h:8086/write?db=web&precision=ms',
  );
});

test('the token goes into the Authorization header of every request', async () => {
  const { scheduler, calls, writer } = setup(() => 204, { url: 'http://influx.test:8086/api/v2/write?org=o&bucket=b', token: 's3cr3t' });
  writer.next(alertAt(0));
  void writer.flush();
  await scheduler.advance(0);
  assert.equal(calls[0]?.headers['Authorization'], 'Token s3cr3t');
});

test('outbox: points not acknowledged (in flight, queued) are pending, oldest first; resumed ones go out first; a repeated event is written again', async () => {
  let down = true;
  const { scheduler, calls, writer } = setup(() => (down ? refused() : 204), { batchSize: 2, flushInterval: 1000 });
  const outbox = writer.outbox;
  assert.ok(outbox !== undefined && outbox.key === 'influx');
  writer.next(statsAt(0));
  writer.next(statsAt(1));
  await scheduler.advance(0); // the first batch fails
  const pending = outbox.pending();
  assert.deepEqual(
    pending.map((l) => stamp(l as string)),
    [T0 + 10_000, T0 + 10_000, T0 + 20_000, T0 + 20_000],
  );
  down = false;
  await scheduler.advance(60_000);
  assert.deepEqual(outbox.pending(), [], 'acknowledged: nothing pending');

  // A restarted writer: the saved points, then a report made again, then new ones, in that order.
  const next = setup(() => 204, { batchSize: 100, flushInterval: 1000 });
  next.writer.outbox?.resume(pending.slice(0, 2));
  next.writer.outbox?.repeated(statsAt(1));
  next.writer.next(statsAt(2));
  await next.writer.flush();
  assert.deepEqual(lines(next.calls).map(stamp), [T0 + 10_000, T0 + 10_000, T0 + 20_000, T0 + 20_000, T0 + 30_000, T0 + 30_000]);
  assert.ok(calls.length >= 2);
});
