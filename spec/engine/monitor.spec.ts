import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEVER, concat, from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { monitor, MonitorOptionsError, type MonitorEvent } from '../../src/index.js';
import { combinedLine } from '../helpers/cli.js';

test('monitor: stats, alert transitions and a balanced summary from plain lines', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 30; s++) for (let k = 0; k < 50; k++) lines.push(combinedLine(s, { path: `/api/${k}` }));
  for (let s = 30; s < 200; s += 5) lines.push(combinedLine(s, { path: '/home', status: 404 }));
  lines.push('', 'bogus', combinedLine(1));
  const events = await lastValueFrom(monitor(from(lines)).pipe(toArray()));
  const summary = events.at(-1);
  assert.deepEqual(summary, { type: 'summary', lines: lines.length - 1, parsed: lines.length - 2, invalid: 1, late: 1, invalidReasons: { no_match: 1 } });
  const stats = events.filter((e) => e.type === 'stats');
  const hits = stats.reduce((n, e) => n + (e.type === 'stats' ? e.hits : 0), 0);
  assert.equal(hits + 1, lines.length - 2, 'every parsed line is in exactly one window or late');
  const alerts = events.filter((e) => e.type === 'alert').map((e) => (e.type === 'alert' ? [e.state, e.at, e.hits] : []));
  // 500 hits per 10 s: the 2-minute average is 4.2 req/s at 10 s, 8.3 at 20 s, 12.5 at 30 s.
  assert.deepEqual(alerts[0], ['firing', Date.UTC(2026, 0, 1) + 30_000, 1500]);
  assert.equal(alerts[1]?.[0], 'recovered');
});

test('monitor rejects inconsistent options synchronously with MonitorOptionsError', () => {
  assert.throws(() => monitor(from([]), { interval: 10_000, alertWindow: 25_000 }), MonitorOptionsError);
  assert.throws(() => monitor(from([]), { format: '%h %Q' }), MonitorOptionsError);
  assert.throws(() => monitor(from([]), { threshold: 5, recoverThreshold: 6 }), MonitorOptionsError);
});

test('monitor: when traffic stops, windows keep closing and the alert recovers without any new line', () => {
  const scheduler = new TestScheduler((a, b) => assert.deepEqual(a, b));
  const seen: Array<{ frame: number; event: MonitorEvent }> = [];
  scheduler.run(({ flush }) => {
    const burst: string[] = [];
    for (let k = 0; k < 1300; k++) burst.push(combinedLine(k % 10));
    const lines$ = concat(from(burst), NEVER);
    const sub = monitor(lines$, { idleTimeout: 10_000, scheduler }).subscribe((event) => seen.push({ frame: scheduler.now(), event }));
    scheduler.schedule(() => sub.unsubscribe(), 200_000);
    flush();
  });
  const t0 = Date.UTC(2026, 0, 1);
  const alerts = seen.filter((s) => s.event.type === 'alert');
  assert.deepEqual(alerts.map((s) => (s.event.type === 'alert' ? [s.event.state, s.event.at - t0, s.event.hits] : [])), [
    ['firing', 10_000, 1300],
    ['recovered', 130_000, 0],
  ]);
  // Newest line at 9 s: [0,10) closes once 9 s + idle - 10 s >= 10 s, i.e. after 11 s of silence;
  // the recovery at event time 130 s after 131 s of silence.
  assert.deepEqual(alerts.map((s) => s.frame), [11_000, 131_000]);
  assert.ok(!seen.some((s) => s.event.type === 'summary'), 'a followed input never completes');
});
