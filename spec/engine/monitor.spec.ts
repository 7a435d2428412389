import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEVER, concat, from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { monitor, MonitorOptionsError, type EngineProgress, type MonitorEvent } from '../../src/index.js';
import { combinedLine } from '../helpers/cli.js';

test('monitor: stats, alert transitions and a balanced summary from plain lines', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 30; s++) for (let k = 0; k < 50; k++) lines.push(combinedLine(s, { path: `/api/${k}` }));
  for (let s = 30; s < 200; s += 5) lines.push(combinedLine(s, { path: '/home', status: 404 }));
  lines.push('', 'bogus', combinedLine(1));
  const events = await lastValueFrom(monitor(from(lines)).pipe(toArray()));
  const summary = events.at(-1);
  assert.deepEqual(summary, {
    type: 'summary',
    lines: lines.length - 1,
    parsed: lines.length - 2,
    invalid: 1,
    late: 1,
    invalidReasons: { no_match: 1 },
  });
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
  assert.deepEqual(
    alerts.map((s) => (s.event.type === 'alert' ? [s.event.state, s.event.at - t0, s.event.hits] : [])),
    [
      ['firing', 10_000, 1300],
      ['recovered', 130_000, 0],
    ],
  );
  // Newest line at 9 s: [0,10) closes once 9 s + idle - 10 s >= 10 s, i.e. after 11 s of silence;
  // the recovery at event time 130 s after 131 s of silence.
  assert.deepEqual(
    alerts.map((s) => s.frame),
    [11_000, 131_000],
  );
  assert.ok(!seen.some((s) => s.event.type === 'summary'), 'a followed input never completes');
});

test('onProgress: the newest interval while it is open; none once the clock closed it, until lines of a newer one arrive', () => {
  const scheduler = new TestScheduler((a, b) => assert.deepEqual(a, b));
  const t0 = Date.UTC(2026, 0, 1);
  const log: Array<{ frame: number; progress?: EngineProgress; stats?: number }> = [];
  scheduler.run(({ cold, flush }) => {
    // One line at 5 s, then a minute of silence, then one at 200 s.
    const lines$ = cold('a 59999ms b', { a: combinedLine(5), b: combinedLine(200) });
    const onProgress = (progress: EngineProgress): void => void log.push({ frame: scheduler.now(), progress });
    const sub = monitor(lines$, { idleTimeout: 10_000, scheduler, onProgress }).subscribe(
      (e) => void (e.type === 'stats' && log.push({ frame: scheduler.now(), stats: e.start })),
    );
    scheduler.schedule(() => sub.unsubscribe(), 100_000);
    flush();
  });
  const progress = log.flatMap((l) => (l.progress === undefined ? [] : [{ frame: l.frame, ...l.progress }]));
  assert.deepEqual(progress[0], { frame: 0, arrival: true, lines: 0, open: { start: t0, hits: 1 }, newest: t0 + 5000 });
  const closed = log.findIndex((l) => l.stats === t0);
  assert.ok(closed > 0, 'the clock closed [0 s, 10 s)');
  assert.deepEqual(
    log[closed + 1]?.progress,
    { arrival: false, lines: 1, open: undefined, newest: t0 + 5000 },
    'right after its stats: no open interval',
  );
  const quiet = log.slice(closed + 1).filter((l) => l.progress !== undefined && l.frame < 60_000);
  assert.ok(quiet.length > 1 && quiet.every((l) => l.progress?.open === undefined), 'none while the log is quiet');
  assert.deepEqual(
    progress.find((p) => p.frame === 60_000 && p.arrival),
    { frame: 60_000, arrival: true, lines: 1, open: { start: t0 + 200_000, hits: 1 }, newest: t0 + 200_000 },
  );
  // The law: an interval once reported is never shown as open again.
  log.forEach((l, i) => {
    const start = l.progress?.open?.start;
    if (start !== undefined) assert.ok(!log.slice(0, i).some((e) => e.stats === start), `frame ${l.frame}: ${start - t0} already closed`);
  });
});
