import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { combinedLine, runCli } from '../helpers/cli.js';
import { startFollower, stopFollowers } from '../helpers/follower.js';
import { freePort } from '../helpers/system.js';
import { alertmanagerTestOptions, startAlertmanager, type AlertmanagerServer, type GettableAlert } from '../helpers/alertmanagerServer.js';
import { tempDir } from '../helpers/tempDir.js';

after(stopFollowers);

/** 130 s at 15 requests/s (from `from` s): fires once the windows close (the log itself moves the watermark). */
const burst = (from = 0): string => {
  const lines: string[] = [];
  for (let s = from; s < from + 130; s++) for (let k = 0; k < 15; k++) lines.push(combinedLine(s, { host: `10.0.1.${k}` }));
  return lines.map((l) => `${l}\n`).join('');
};

const ours = (alerts: readonly GettableAlert[]): GettableAlert[] => alerts.filter((a) => a.labels['alertname'] === 'ApachescanHighTraffic');

test(
  'real Alertmanager: the alert is pushed (with retries until it is up), re-sent while firing, and resolves on recovery',
  alertmanagerTestOptions(),
  async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, burst());
    const port = await freePort();
    // apachescan starts first: its pushes fail until Alertmanager is up, and are retried.
    const follower = startFollower([
      log,
      '--json',
      '--no-checkpoint',
      '--alertmanager',
      `http://127.0.0.1:${port}`,
      '--alertmanager-resend',
      '1',
      '--alert-max-age',
      '0',
    ]);
    let am: AlertmanagerServer | undefined;
    try {
      await follower.waitFor('the firing alert event', () => follower.events.some((e) => e['type'] === 'alert' && e['state'] === 'firing'));
      await follower.waitFor('a failed push', () => follower.stderr().includes('retrying with backoff'));
      am = await startAlertmanager({ port });
      // Backoff reaches 30 s at most: allow for it, and for a slow start of Alertmanager under load.
      const [firing] = await am.waitForAlerts('the firing alert', (alerts) => ours(alerts).length === 1, 90_000);
      assert.ok(firing !== undefined);
      assert.deepEqual(firing.labels, {
        alertname: 'ApachescanHighTraffic',
        job: 'apachescan',
        instance: hostname(),
        severity: 'warning',
        log,
      });
      const event = follower.events.find((e) => e['type'] === 'alert') ?? {};
      assert.equal(firing.annotations['hits'], String(event['hits']));
      assert.equal(firing.annotations['rate'], String(event['rate']));
      assert.equal(firing.annotations['threshold'], '10');
      assert.equal(
        firing.annotations['summary'],
        `High traffic generated an alert - hits = ${String(event['hits'])}, triggered at ${String(event['at'])}`,
      );
      assert.equal(firing.startsAt.replace('.000', ''), event['at'], 'starts at the event time of the transition');
      assert.equal(firing.status.state, 'active');
      // Alertmanager lists the alert once it has the push; apachescan says so once the answer is back.
      await follower.waitFor('"accepts alerts again" on stderr', () => follower.stderr().includes('accepts alerts again'));
      // Re-sent while firing: every push moves endsAt (4 re-send intervals ahead) forward.
      await am.waitForAlerts('a re-send', (alerts) => ours(alerts).some((a) => Date.parse(a.endsAt) > Date.parse(firing.endsAt)));
      await am.waitForNotification('the firing notification', (m) => m.status === 'firing');

      // Quiet traffic 5 minutes later: the 2-minute rate falls, the alert recovers and resolves.
      appendFileSync(log, `${combinedLine(430)}\n`);
      await follower.waitFor('the recovery event', () => follower.events.some((e) => e['type'] === 'alert' && e['state'] === 'recovered'));
      await am.waitForAlerts('the alert to resolve', (alerts) => ours(alerts).length === 0);
      const resolved = await am.waitForNotification('the resolved notification', (m) => m.status === 'resolved');
      const recovery = follower.events.find((e) => e['type'] === 'alert' && e['state'] === 'recovered') ?? {};
      assert.equal(resolved.alerts[0]?.labels['alertname'], 'ApachescanHighTraffic');
      assert.equal(resolved.alerts[0]?.annotations['hits'], String(recovery['hits']));
      assert.equal(resolved.alerts[0]?.endsAt.replace('.000', ''), recovery['at'], 'ends at the event time of the recovery');
    } finally {
      await follower.stop('SIGTERM');
      await am?.stop();
    }
  },
);

test(
  'real Alertmanager: a run resumed from a checkpoint while the alert fires keeps re-sending it (no new alert event)',
  alertmanagerTestOptions(),
  async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, burst());
    const am = await startAlertmanager({ port: await freePort() });
    // No idle advance: the alert keeps firing across both runs (the log has no quiet spell).
    const args = [
      log,
      '--json',
      '--checkpoint',
      join(dir, 'cp.json'),
      '--idle-timeout',
      '600',
      '--alertmanager',
      am.url,
      '--alertmanager-resend',
      '1',
      '--alert-max-age',
      '0',
    ];
    try {
      const first = startFollower(args);
      await first.waitFor('the firing alert event', () => first.events.some((e) => e['type'] === 'alert' && e['state'] === 'firing'));
      await am.waitForAlerts('the firing alert', (alerts) => ours(alerts).length === 1);
      assert.equal((await first.stop('SIGTERM')).code, 0, first.stderr());
      // What the first run said last: the alert expires at this endsAt unless someone says it again.
      const [left] = ours(await am.alerts());
      assert.ok(left !== undefined);

      const second = startFollower(args);
      await am.waitForAlerts('the resumed run to re-send it', (alerts) =>
        ours(alerts).some((a) => Date.parse(a.endsAt) > Date.parse(left.endsAt)),
      );
      const [again] = ours(await am.alerts());
      assert.equal(again?.startsAt, left.startsAt, 'the same alert, firing since the same time');
      assert.equal(again?.annotations['hits'], left.annotations['hits']);
      assert.equal((await second.stop('SIGTERM')).code, 0, second.stderr());
      assert.deepEqual(
        second.events.filter((e) => e['type'] === 'alert'),
        [],
        'no alert transition reported again',
      );
    } finally {
      await am.stop();
    }
  },
);

/**
 * The path to Alertmanager that a test can cut (connections refused, as when it is down) and
 * restore, while Alertmanager itself keeps its state (a restarted one would start empty; a
 * stopped one still takes the requests queued in its socket when it continues).
 */
async function cuttablePath(
  target: number,
): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server = createServer();
  const listen = async (): Promise<void> => {
    server = createServer((client) => {
      const upstream = createConnection(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  };
  const cut = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  await listen();
  return { port, cut, restore: listen, close: cut };
}

// Issue 20: unreachable while the alert recovered and fired again, Alertmanager then got only the
// second firing, which it merged into the first (one alert firing since the first start).
test(
  'real Alertmanager: unreachable through a recovery and a new firing, then back: the first alert resolves, the second starts at its own time',
  alertmanagerTestOptions(),
  async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, burst());
    const am = await startAlertmanager({ port: await freePort() });
    const path = await cuttablePath(Number(new URL(am.url).port));
    // The default re-send (60 s): a firing alert's endsAt is 4 minutes ahead, so it is still active when the path comes back.
    const follower = startFollower([
      log,
      '--json',
      '--no-checkpoint',
      '--alertmanager',
      `http://127.0.0.1:${path.port}`,
      '--alert-max-age',
      '0',
      '--idle-timeout',
      '600',
    ]);
    const alerts = (): Record<string, unknown>[] => follower.events.filter((e) => e['type'] === 'alert');
    try {
      await follower.waitFor('the first firing', () => alerts().length >= 1);
      const [first] = ours(await am.waitForAlerts('the first firing', (a) => ours(a).length === 1));
      assert.equal(first?.startsAt.replace('.000', ''), alerts()[0]?.['at']);
      await path.cut();
      appendFileSync(log, `${combinedLine(430)}\n`);
      await follower.waitFor('the recovery', () => alerts().length >= 2);
      await follower.waitFor('a failed push', () => follower.stderr().includes('retrying with backoff'));
      appendFileSync(log, burst(440));
      await follower.waitFor('the second firing', () => alerts().length >= 3);
      assert.deepEqual(
        alerts().map((e) => e['state']),
        ['firing', 'recovered', 'firing'],
      );
      await path.restore();
      const second = alerts()[2]?.['at'];
      // Backoff reaches 30 s at most: allow for it, and for a slow machine.
      await am.waitForAlerts(
        'the second firing, from its own start',
        (a) => ours(a).some((x) => x.startsAt.replace('.000', '') === second),
        90_000,
      );
    } finally {
      await follower.stop('SIGTERM');
      await path.close();
      await am.stop();
    }
  },
);

test(
  'real Alertmanager: --once on an old log pushes nothing for its past; a burst dated now is pushed once, starting at its event time',
  alertmanagerTestOptions(),
  async () => {
    const dir = tempDir();
    const am = await startAlertmanager({ port: await freePort() });
    try {
      // Old: 2026-01-01, fires and recovers.
      const old = join(dir, 'old.log');
      writeFileSync(old, `${burst()}${combinedLine(430)}\n`);
      const replay = await runCli([old, '--once', '--json', '--alertmanager', am.url], { timeoutMs: 30_000 });
      assert.equal(replay.code, 0, replay.stderr);
      assert.equal(replay.stdout.split('\n').filter((l) => l.includes('"type":"alert"')).length, 2, 'printed all the same');
      assert.match(replay.stderr, /^apachescan: alertmanager: alert transitions dated more than 600 s ago are not sent/m);
      assert.deepEqual(ours(await am.alerts()), [], 'nothing pushed for the past');

      // Now: 130 s at 15 requests/s ending 10 s ago, still firing at the end of the replay.
      const start = Math.floor((Date.now() - Date.UTC(2026, 0, 1)) / 1000) - 140;
      const fresh = join(dir, 'fresh.log');
      const lines: string[] = [];
      for (let s = start; s < start + 130; s++) for (let k = 0; k < 15; k++) lines.push(combinedLine(s, { host: `10.0.4.${k}` }));
      writeFileSync(fresh, lines.map((l) => `${l}\n`).join(''));
      const live = await runCli([fresh, '--once', '--json', '--alertmanager', am.url], { timeoutMs: 30_000 });
      assert.equal(live.code, 0, live.stderr);
      const firing = live.stdout
        .split('\n')
        .filter((l) => l.includes('"type":"alert"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.deepEqual(
        firing.map((e) => e['state']),
        ['firing'],
      );
      const [pushed] = await am.waitForAlerts('the fresh alert', (alerts) => ours(alerts).length === 1);
      assert.equal(pushed?.startsAt.replace('.000', ''), firing[0]?.['at']);
    } finally {
      await am.stop();
    }
  },
);
