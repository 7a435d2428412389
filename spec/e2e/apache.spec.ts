/**
 * apachescan following the access log of a real Apache under load from ApacheBench, with
 * the log rotated twice mid-run: rename + graceful restart (what logrotate's `create` +
 * `apache2ctl graceful` do), then copytruncate. It must count exactly the requests Apache
 * served and logged, fire the alert during the load and recover by the clock after it.
 * Skipped locally without apache2/ab; fails under CI (`CI` set). Takes about 20 s.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, renameSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { apacheTestOptions, requireApache, runAb, startApache, type AbResult, type ApacheServer } from '../helpers/apacheServer.js';
import { alertsOf, hasOpen, startFollower, statsOf, stopFollowers, totalHits, waitUntil } from '../helpers/follower.js';
import { tempDir } from '../helpers/tempDir.js';

let server: ApacheServer | undefined;
after(async () => {
  stopFollowers();
  await server?.stop();
});

const lineCount = (path: string): number => (existsSync(path) ? readFileSync(path).reduce((n, byte) => (byte === 10 ? n + 1 : n), 0) : 0);
const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : 0);
/** ab's report: every request completed, none failed, all 2xx. */
function assertServed(result: AbResult, requests: number): void {
  assert.equal(result.complete, requests, result.output);
  assert.equal(result.failed, 0, result.output);
  assert.equal(result.non2xx, 0, result.output);
}

describe('a real Apache httpd', () => {
  it(
    'every request served is counted once across mv + graceful and copytruncate; the alert fires and recovers by idle',
    apacheTestOptions(),
    async (t) => {
      requireApache();
      const apache = await startApache();
      server = apache;
      const log = apache.accessLog;
      const run = startFollower([
        log,
        '--json',
        '--checkpoint',
        join(tempDir(), 'checkpoint.json'),
        '--interval',
        '1',
        '--lateness',
        '3',
        '--idle-timeout',
        '1',
        '--alert-window',
        '5',
        '--threshold',
        '20',
        '--top',
        '10',
      ]);
      await run.waitFor('apachescan to open the access log', () => hasOpen(run.pid, log), 10_000);
      const perPhase = 8000;
      // An access line here is about 90 bytes: rotate once ~2000 requests are logged.
      const midRun = 2000 * 80;

      // Phase 1: rename, then graceful restart: Apache reopens access.log; workers still busy
      // finish their requests into the renamed file.
      let phase1Done = false;
      const phase1 = runAb(`${apache.url}/api/x`, perPhase, 4).finally(() => (phase1Done = true));
      await waitUntil('2000 requests logged', () => sizeOf(log) >= midRun, 30_000);
      renameSync(log, `${log}.1`);
      apache.graceful();
      assert.equal(phase1Done, false, 'rotated while ab was running');
      assertServed(await phase1, perPhase);
      await waitUntil('Apache to reopen its log', () => existsSync(log), 10_000);

      // Phase 2: copytruncate. Apache is paused (SIGSTOP) around copy + truncate: whatever it
      // writes between the two is lost by copytruncate itself (logrotate(8)), not by the reader.
      let phase2Done = false;
      const before = sizeOf(log);
      const phase2 = runAb(`${apache.url}/static/a.css`, perPhase, 4).finally(() => (phase2Done = true));
      await waitUntil('2000 more requests logged', () => sizeOf(log) >= before + midRun, 30_000);
      await apache.pause();
      renameSync(`${log}.1`, `${log}.2`);
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
      apache.resume();
      assert.equal(phase2Done, false, 'rotated while ab was running');
      assertServed(await phase2, perPhase);
      const trafficEnded = Date.now();
      const sizeAtEnd = sizeOf(log);

      const sent = 2 * perPhase;
      const logged = [`${log}.2`, `${log}.1`, log].map(lineCount);
      assert.equal(
        logged.reduce((a, b) => a + b, 0),
        sent,
        `Apache logged every request (lines per file: ${logged.join(', ')})`,
      );

      await run.waitFor(`hits for all ${sent} requests`, () => totalHits(run.events) >= sent, 30_000);
      await run.waitFor('the recovery', () => alertsOf(run.events).some((e) => e['state'] === 'recovered'), 30_000);
      assert.equal(sizeOf(log), sizeAtEnd, 'no request since the load: the recovery came from idle time');
      const recovered = run.events.findIndex((e) => e['state'] === 'recovered');
      const recoveredAfter = (run.eventArrivals[recovered] as number) - trafficEnded;
      const exit = await run.stop('SIGINT');
      assert.equal(exit.code, 0, run.stderr());

      const hits = totalHits(run.events);
      const sections = new Map<string, number>();
      for (const e of statsOf(run.events))
        for (const s of e['sections'] as Array<{ name: string; hits: number }>) sections.set(s.name, (sections.get(s.name) ?? 0) + s.hits);
      t.diagnostic(
        `${sent} requests served (ab), ${logged.join(' + ')} lines logged; apachescan counted ${hits} ` +
          `(lost ${Math.max(0, sent - hits)}, extra ${Math.max(0, hits - sent)}); recovered ${recoveredAfter} ms after the last request`,
      );
      assert.equal(hits, sent, 'apachescan counted exactly the requests Apache served');
      assert.deepEqual(Object.fromEntries(sections), { '/api': perPhase, '/static': perPhase });
      const late = statsOf(run.events).reduce((n, e) => n + (e['late'] as number) + (e['invalid'] as number), 0);
      assert.equal(late, 0, 'no line late or invalid');
      assert.deepEqual(
        alertsOf(run.events).map((e) => e['state']),
        ['firing', 'recovered'],
      );
      assert.ok(recoveredAfter >= 1000, `recovered by the clock, after the idle timeout: ${recoveredAfter} ms`);
      assert.deepEqual(run.events.at(-1), { type: 'summary', lines: sent, parsed: sent, invalid: 0, late: 0 });
      assert.equal(run.stderr(), '');
    },
  );
});
