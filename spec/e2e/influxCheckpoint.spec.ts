/**
 * InfluxDB points and the follow-mode checkpoint, end to end: the real CLI, the real influxd,
 * a real kill -9. Points not acknowledged yet are kept in the checkpoint (its outbox) and
 * written by the restart (issue 20: an interval printed and then killed before its batch went
 * out was held back as sent by the restart, and never written).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine } from '../helpers/cli.js';
import { processedOffset } from '../helpers/checkpointFile.js';
import { startFollower, statsOf, stopFollowers, waitUntil } from '../helpers/follower.js';
import { requireInfluxd, startInfluxServer, type InfluxServer } from '../helpers/influxServer.js';
import { T0 } from '../helpers/logWriter.js';
import { tempDir } from '../helpers/tempDir.js';

const servers: InfluxServer[] = [];
after(async () => {
  stopFollowers();
  for (const s of servers) await s.stop();
});

const tenPerSecond = (from: number, to: number): string =>
  Array.from({ length: (to - from) * 10 }, (_, i) => `${combinedLine(from + Math.floor(i / 10), { path: `/n${i}` })}\n`).join('');

test('kill -9 while InfluxDB is down: the restart writes the intervals the killed run printed but could not write', {
  timeout: 120_000,
}, async (t) => {
  if (!requireInfluxd(t)) return;
  const first = await startInfluxServer();
  const { port, dir: data } = first;
  await first.stop({ keepData: true }); // down: nothing gets acknowledged
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const checkpoint = join(dir, 'cp.json');
  // Newest 26.9 s, lateness 5: [0,10) and [10,20) close and are printed; [20,30) stays open.
  writeFileSync(log, tenPerSecond(0, 27));
  const args = [
    log,
    '--json',
    '--lateness',
    '5',
    '--idle-timeout',
    '600',
    '--checkpoint',
    checkpoint,
    '--influx',
    `http://127.0.0.1:${port}/write?db=web`,
  ];
  const killed = startFollower(args);
  await killed.waitFor('2 windows printed', () => statsOf(killed.events).length >= 2, 20_000);
  await waitUntil('the whole file processed', () => processedOffset(checkpoint) === statSync(log).size, 20_000);
  assert.equal((await killed.stop('SIGKILL')).signal, 'SIGKILL');
  const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { version: number; outbox?: { influx?: string[] } };
  assert.equal(saved.version, 3);

  const server = await startInfluxServer({ port, dir: data });
  servers.push(server);
  const restarted = startFollower(args);
  const ends = async (): Promise<unknown[]> =>
    (await server.rows('SELECT "hits" FROM "apachescan_interval" ORDER BY time')).map((r) => [r['time'], r['hits']]);
  let written: unknown[] = [];
  const until = performance.now() + 30_000;
  while (written.length < 2 && performance.now() < until) {
    written = await ends();
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(
    written,
    [
      [T0 / 1000 + 10, 100],
      [T0 / 1000 + 20, 100],
    ],
    `stderr of the restart: ${restarted.stderr()}`,
  );
  assert.deepEqual(statsOf(restarted.events), [], 'nothing printed twice');
  assert.equal((await restarted.stop('SIGINT')).code, 0, restarted.stderr());
});
