/**
 * A follower descheduled (SIGSTOP) for longer than its idle timeout while lines pile up in
 * the log: when it runs again, it reads them before idle time may close their window, so they
 * count in it rather than late.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine } from '../helpers/cli.js';
import { startFollower, statsOf, stopFollowers, waitUntil } from '../helpers/follower.js';
import { processState } from '../helpers/logWriter.js';
import { sleep } from '../helpers/sleep.js';
import { tempDir } from '../helpers/tempDir.js';

after(() => stopFollowers());

const lines = (seconds: readonly number[], path: string): string => seconds.map((s) => `${combinedLine(s, { path })}\n`).join('');
const iso = (seconds: number): string => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString().replace('.000Z', 'Z');

const cases: [string, (dir: string, log: string) => string[]][] = [
  ['one file', (_dir, log) => [log]],
  // Several files (monitorFiles): a second, quiet one (the merge stops waiting for it after the idle timeout).
  [
    'two files, one of them quiet',
    (dir, log) => {
      const quiet = join(dir, 'quiet.log');
      writeFileSync(quiet, lines([0], '/quiet'));
      return [log, quiet];
    },
  ],
];

for (const [name, files] of cases) {
  test(`descheduled longer than the idle timeout with lines piling up: they count in their window, none late (${name})`, async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    // Windows of 2 s, lateness 1 s, idle after 1 s: the line at 5 s closes [2 s, 4 s).
    writeFileSync(log, lines([0, 1, 2, 3, 5], '/before'));
    const paths = files(dir, log);
    const follower = startFollower([...paths, '--json', '--no-checkpoint', '--interval', '2', '--lateness', '1', '--idle-timeout', '1']);
    await follower.waitFor('the window [2 s, 4 s)', () => statsOf(follower.events).some((e) => e['start'] === iso(2)), 15_000);

    process.kill(follower.pid, 'SIGSTOP');
    await waitUntil('the follower stopped', () => processState(follower.pid) === 'T', 5_000);
    appendFileSync(log, lines([5, 5, 5], '/while-stopped'));
    // Stopped for longer than it takes idle time to close [4 s, 6 s): 1 s of idle, then the
    // watermark (5 s + idle - 1 s) must pass 6 s.
    await sleep(3_000);
    process.kill(follower.pid, 'SIGCONT');

    await follower.waitFor('the window [4 s, 6 s)', () => statsOf(follower.events).some((e) => e['start'] === iso(4)), 15_000);
    const exit = await follower.stop('SIGINT');
    assert.equal(exit.code, 0, follower.stderr());
    const window = statsOf(follower.events).find((e) => e['start'] === iso(4));
    assert.equal(window?.['hits'], 4, `the line from before and the three written while stopped: ${JSON.stringify(window)}`);
    const summary = follower.events.at(-1);
    assert.equal(summary?.['late'], 0, JSON.stringify(summary));
    assert.equal(summary?.['lines'], 8 + paths.length - 1);
  });
}

test('three files by a glob, all growing while the follower is stopped, twice: every line piled up counts in its window, none late', async () => {
  const dir = tempDir();
  const logs = ['shop', 'blog', 'api'].map((name) => join(dir, `${name}.log`));
  for (const log of logs) writeFileSync(log, lines([0, 1, 2, 3, 5], '/before'));
  const follower = startFollower([
    join(dir, '*.log'),
    '--json',
    '--no-checkpoint',
    '--interval',
    '2',
    '--lateness',
    '1',
    '--idle-timeout',
    '1',
  ]);
  await follower.waitFor('the window [2 s, 4 s)', () => statsOf(follower.events).some((e) => e['start'] === iso(2)), 15_000);
  // Twice: stopped while every file grows, for longer than idle time takes to close the open
  // window (the second time far ahead in event time, past what idle time closed meanwhile).
  for (const [round, at] of [
    [0, 5],
    [1, 107],
  ] as const) {
    process.kill(follower.pid, 'SIGSTOP');
    await waitUntil('the follower stopped', () => processState(follower.pid) === 'T', 5_000);
    for (const log of logs) appendFileSync(log, lines([at, at, at + 2], `/while-stopped-${round}`));
    await sleep(3_000);
    process.kill(follower.pid, 'SIGCONT');
    await follower.waitFor(`the window of ${at} s`, () => statsOf(follower.events).some((e) => e['start'] === iso(at - 1)), 15_000);
  }
  const exit = await follower.stop('SIGINT');
  assert.equal(exit.code, 0, follower.stderr());
  const hits = (start: number): unknown => statsOf(follower.events).find((e) => e['start'] === iso(start))?.['hits'];
  // [4 s, 6 s): each file's 5 and two 5s written while stopped; [106 s, 108 s): two 107s of each.
  assert.deepEqual([hits(4), hits(106)], [9, 6], JSON.stringify(statsOf(follower.events)));
  const summary = follower.events.at(-1);
  assert.equal(summary?.['late'], 0, JSON.stringify(summary));
  assert.equal(summary?.['lines'], 3 * (5 + 3 + 3));
});
