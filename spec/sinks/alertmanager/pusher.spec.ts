import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAlertmanagerPusher,
  alertmanagerEndpoint,
  toPostableAlert,
  type PostableAlert,
} from '../../../src/sinks/alertmanager/index.js';
import { SinkError } from '../../../src/errors.js';
import type { AlertEvent } from '../../../src/types.js';
import { ManualScheduler } from '../../helpers/manualScheduler.js';

const T0 = Date.UTC(2026, 0, 1);
const fire = (s: number, hits = 1300): AlertEvent => ({
  type: 'alert',
  state: 'firing',
  at: T0 + s * 1000,
  hits,
  rate: hits / 120,
  threshold: 10,
});
const recover = (s: number, hits = 1000): AlertEvent => ({
  type: 'alert',
  state: 'recovered',
  at: T0 + s * 1000,
  hits,
  rate: hits / 120,
  threshold: 10,
});

interface Push {
  readonly at: number;
  readonly url: string;
  readonly alert: PostableAlert;
}

/** A fetch answering from `reply(callIndex)`, recording each push with its virtual time. */
function setup(reply: (call: number) => number | Error, urls = ['http://am.test:9093'], random = (): number => 0) {
  const scheduler = new ManualScheduler(T0 + 600_000);
  const pushes: Push[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const [alert] = JSON.parse(String(init?.body)) as PostableAlert[];
    pushes.push({ at: scheduler.now(), url: String(url), alert: alert as PostableAlert });
    const r = reply(pushes.length - 1);
    if (r instanceof Error) throw r;
    return new Response(r === 200 ? '' : 'bad', { status: r });
  }) as typeof globalThis.fetch;
  const warnings: string[] = [];
  const pusher = createAlertmanagerPusher({
    urls,
    labels: { job: 'apachescan', instance: 'web1' },
    resendInterval: 60_000,
    retryDelay: 1000,
    maxRetryDelay: 8000,
    random,
    scheduler,
    fetch,
    onWarning: (m) => warnings.push(m),
  });
  return { scheduler, pushes, warnings, pusher };
}

const totals = ({ sent, failed, rejected }: { sent: number; failed: number; rejected: number }) => ({ sent, failed, rejected });

const refused = (): Error =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });

test('the API v2 endpoint from a base URL; bad URLs are one-line SinkErrors', () => {
  assert.equal(alertmanagerEndpoint('http://127.0.0.1:9093'), 'http://127.0.0.1:9093/api/v2/alerts');
  assert.equal(alertmanagerEndpoint('https://am.example/prefix/'), 'https://am.example/prefix/api/v2/alerts');
  assert.equal(alertmanagerEndpoint('http://am:9093/api/v2/alerts'), 'http://am:9093/api/v2/alerts');
  for (const bad of ['am:9093', 'ftp://am', 'http://am:9093/?x=1', 'nonsense\u001b'])
    assert.throws(() => alertmanagerEndpoint(bad), SinkError);
});

test('a firing alert carries labels, annotations and endsAt ahead; a resolved one its recovery time', () => {
  const now = T0 + 500_000;
  const firing = toPostableAlert({ event: fire(120), startsAt: T0 + 120_000 }, now, { job: 'apachescan' }, 240_000);
  assert.deepEqual(firing, {
    labels: { job: 'apachescan', alertname: 'ApachescanHighTraffic' },
    annotations: {
      summary: 'High traffic generated an alert - hits = 1300, triggered at 2026-01-01T00:02:00Z',
      description: '10.83 requests/s on average (1300 hits) above the threshold of 10 requests/s',
      hits: '1300',
      rate: '10.83',
      threshold: '10',
    },
    startsAt: '2026-01-01T00:02:00Z',
    endsAt: '2026-01-01T00:12:20Z',
  });
  const resolved = toPostableAlert({ event: recover(300), startsAt: T0 + 120_000, endsAt: T0 + 300_000 }, now, {}, 240_000);
  assert.equal(resolved.endsAt, '2026-01-01T00:05:00Z');
  assert.equal(resolved.annotations['summary'], 'Traffic recovered - hits = 1000, recovered at 2026-01-01T00:05:00Z');
  // Log time ahead of the machine's clock: never in the future for Alertmanager.
  const ahead = toPostableAlert({ event: recover(900), startsAt: T0 + 120_000, endsAt: T0 + 900_000 }, now, {}, 240_000);
  assert.equal(ahead.endsAt, '2026-01-01T00:08:20Z');
});

test('pushed at once, re-sent every resendInterval while firing, resolved once, then silence', async () => {
  const { scheduler, pushes, pusher } = setup(() => 200);
  pusher.next(fire(120));
  pusher.next({ type: 'summary', lines: 0, parsed: 0, invalid: 0, late: 0 });
  await scheduler.advance(0);
  assert.equal(pushes.length, 1);
  await scheduler.advance(180_000);
  assert.deepEqual(
    pushes.map((p) => p.at - pushes[0]!.at),
    [0, 60_000, 120_000, 180_000],
  );
  assert.ok(
    pushes.every((p) => Date.parse(p.alert.endsAt) === p.at + 240_000),
    'endsAt = now + 4 intervals',
  );
  assert.ok(pushes.every((p) => p.alert.startsAt === '2026-01-01T00:02:00Z'));
  pusher.next(recover(300));
  await scheduler.advance(0);
  assert.equal(pushes.length, 5);
  assert.equal(pushes[4]?.alert.endsAt, '2026-01-01T00:05:00Z');
  await scheduler.advance(600_000);
  assert.equal(pushes.length, 5, 'nothing re-sent after the resolution was delivered');
  assert.equal(scheduler.pending, 0);
  await pusher.close();
  assert.deepEqual(totals(pusher.stats()), { sent: 5, failed: 0, rejected: 0 });
});

test('Alertmanager down: retries with doubling backoff, then delivers only the latest state', async () => {
  const { scheduler, pushes, pusher, warnings } = setup((i) => (i < 5 ? refused() : 200));
  pusher.next(fire(120));
  await scheduler.advance(0);
  await scheduler.advance(3000);
  pusher.next(recover(300)); // while it is down
  await scheduler.advance(60_000);
  const start = pushes[0]!.at;
  assert.deepEqual(
    pushes.map((p) => p.at - start),
    [0, 1000, 3000, 7000, 15_000, 23_000],
  );
  assert.equal(pushes.at(-1)?.alert.endsAt, '2026-01-01T00:05:00Z', 'the resolved state, not the stale firing one');
  assert.equal(warnings.filter((w) => w.includes('retrying with backoff')).length, 1, 'one warning per outage');
  assert.match(warnings.at(-1) ?? '', /accepts alerts again/);
  assert.deepEqual(totals(pusher.stats()), { sent: 1, failed: 5, rejected: 0 });
  assert.equal(scheduler.pending, 0);
});

test('a 4xx is not retried; each URL gets every state; close() gives up after closeTimeout', async () => {
  const { scheduler, pushes, pusher, warnings } = setup((i) => (i === 0 ? 400 : refused()), ['http://a:9093', 'http://b:9093']);
  pusher.next(fire(120));
  await scheduler.advance(0);
  assert.deepEqual(
    pushes.map((p) => p.url),
    ['http://a:9093/api/v2/alerts', 'http://b:9093/api/v2/alerts'],
  );
  assert.ok(
    warnings.some((w) => /a:9093\/api\/v2\/alerts refused the alert \(HTTP 400: bad\)/.test(w)),
    warnings.join('\n'),
  );
  const closed = pusher.close();
  await scheduler.advance(5000);
  await closed;
  assert.equal(pushes.filter((p) => p.url.startsWith('http://a:')).length, 1, 'a refused alert is not sent again');
  assert.ok(pushes.filter((p) => p.url.startsWith('http://b:')).length > 1, 'an unreachable one is retried');
  assert.match(warnings.at(-1) ?? '', /closed before http:\/\/b:9093\/api\/v2\/alerts got the latest alert state/);
  assert.equal(scheduler.pending, 0);
});

test('a push that never answers is aborted after requestTimeout and retried; consume never waits for it', async () => {
  const scheduler = new ManualScheduler(T0 + 600_000);
  const calls: number[] = [];
  const hanging = ((_url: string | URL | Request, init?: RequestInit) => {
    calls.push(scheduler.now());
    return new Promise<Response>((_, reject) =>
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
    );
  }) as typeof fetch;
  const warnings: string[] = [];
  const pusher = createAlertmanagerPusher({
    urls: ['http://am.test:9093'],
    labels: {},
    requestTimeout: 10_000,
    retryDelay: 1000,
    random: () => 0,
    scheduler,
    fetch: hanging,
    onWarning: (m) => warnings.push(m),
  });
  for (let i = 0; i < 1000; i++) pusher.next(i % 2 === 0 ? fire(120 + i * 10) : recover(120 + i * 10));
  await scheduler.advance(0);
  assert.equal(calls.length, 1, 'one request in flight, whatever the number of transitions');
  await scheduler.advance(10_000);
  assert.match(warnings[0] ?? '', /cannot push to http:\/\/am\.test:9093\/api\/v2\/alerts \(no answer in time\); retrying with backoff/);
  await scheduler.advance(1000);
  assert.deepEqual(
    calls.map((t) => t - calls[0]!),
    [0, 11_000],
  );
  const closed = pusher.close();
  await scheduler.advance(5000);
  await closed;
  assert.equal(scheduler.pending, 0);
});

test('a recovery without a firing seen (resumed from a checkpoint) is still pushed as resolved', async () => {
  const { scheduler, pushes, pusher } = setup(() => 200);
  pusher.next(recover(300));
  await scheduler.advance(0);
  assert.equal(pushes.length, 1);
  assert.equal(pushes[0]?.alert.endsAt, '2026-01-01T00:05:00Z');
  assert.equal(pushes[0]?.alert.startsAt, '2026-01-01T00:05:00Z');
  await scheduler.advance(600_000);
  assert.equal(pushes.length, 1);
});

test('the retry delays are jittered (the shared backoff helper): shortened by up to half, at random', async () => {
  const { scheduler, pushes, pusher } = setup(
    (i) => (i < 3 ? refused() : 200),
    ['http://am.test:9093'],
    () => 0.5,
  );
  pusher.next(fire(120));
  await scheduler.advance(0);
  await scheduler.advance(10_000); // before the first re-send (60 s)
  const start = pushes[0]!.at;
  // The doubling 1, 2, 4 s, each shortened by a quarter (jitter 0.5 of at most half): 0.75, 1.5, 3 s.
  assert.deepEqual(
    pushes.map((p) => p.at - start),
    [0, 750, 2250, 5250],
  );
  await pusher.close();
});

test('stats() counts per receiver too, for the url label of the pushes counter', async () => {
  const { scheduler, pusher } = setup((i) => (i === 0 ? refused() : 200), ['http://a.test:9093', 'http://b.test:9093']);
  pusher.next(fire(120));
  await scheduler.advance(0);
  await scheduler.advance(10_000);
  const byUrl = pusher.stats().byUrl;
  assert.deepEqual(
    byUrl.map((u) => u.url),
    ['http://a.test:9093/api/v2/alerts', 'http://b.test:9093/api/v2/alerts'],
  );
  assert.deepEqual(
    byUrl.map((u) => u.sent + u.failed + u.rejected > 0),
    [true, true],
  );
  assert.equal(
    byUrl.reduce((n, u) => n + u.failed, 0),
    1,
  );
  assert.equal(
    byUrl.reduce((n, u) => n + u.sent, 0),
    pusher.stats().sent,
  );
  await pusher.close();
});

// Issue 20: down while the alert recovered and fired again, it used to get only the latest
// state (the second firing), which Alertmanager merged into the first: one firing from the first
// start, the recovery in between lost.
test('Alertmanager down through a recovery and a new firing: once back, the recovery (its own end) and then the new firing (its own start), in order', async () => {
  let down = false;
  const accepted: number[] = [];
  const { scheduler, pushes, pusher } = setup((i) => {
    if (down) return refused();
    accepted.push(i);
    return 200;
  });
  pusher.next(fire(120));
  await scheduler.advance(0);
  down = true;
  await scheduler.advance(60_000); // a re-send fails
  pusher.next(recover(300));
  await scheduler.advance(10_000);
  pusher.next(fire(420));
  await scheduler.advance(10_000);
  down = false;
  await scheduler.advance(30_000);
  // What Alertmanager accepted: start and end (or "ahead" while firing) of each push.
  const states = accepted.map((i) => pushes[i]!.alert).map((a) => [a.startsAt, a.endsAt <= '2026-01-01T00:10:00Z' ? a.endsAt : 'ahead']);
  assert.deepEqual(states, [
    ['2026-01-01T00:02:00Z', 'ahead'],
    ['2026-01-01T00:02:00Z', '2026-01-01T00:05:00Z'],
    ['2026-01-01T00:07:00Z', 'ahead'],
  ]);
  await pusher.close();
});
