/**
 * A burst of 100k lines/s into a followed file: nothing lost, memory bounded. The burst is
 * written by this process in 10 ms slices of 1000 lines (event times advance 1 s per 1000
 * lines), while the CLI follows it as a child process. The rate reached is printed, not
 * asserted: a loaded machine writes slower, and the counts must hold at any rate.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine } from '../helpers/cli.js';
import { hasOpen, startFollower, statsOf, stopFollowers, totalHits } from '../helpers/follower.js';
import { sleep } from '../helpers/sleep.js';
import { tempDir } from '../helpers/tempDir.js';

after(() => stopFollowers());

const LINES = 300_000;
const SLICE = 1_000;

test('a 100k lines/s burst while following: every line counted once, peak RSS bounded', async () => {
  const log = join(tempDir(), 'access.log');
  writeFileSync(log, '');
  // Lateness 1 s (the burst is in order): the last windows close 2 s after it, by idle time.
  const follower = startFollower([log, '--json', '--no-checkpoint', '--idle-timeout', '1', '--lateness', '1']);
  await follower.waitFor('the log to be opened', () => hasOpen(follower.pid, log), 10_000);
  const started = Date.now();
  for (let k = 0; k < LINES; k += SLICE) {
    const second = Math.floor(k / SLICE);
    let chunk = '';
    for (let i = 0; i < SLICE; i++) chunk += `${combinedLine(second, { path: `/s${(k + i) % 997}/x` })}\n`;
    appendFileSync(log, chunk);
    const due = started + ((k + SLICE) / 100_000) * 1000;
    if (Date.now() < due) await sleep(due - Date.now());
  }
  const rate = LINES / ((Date.now() - started) / 1000);
  // Windows close by the lines and then by idle time: all 300 s of event time.
  await follower.waitFor('every line reported', () => totalHits(follower.events) === LINES, 60_000);
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${follower.pid}/status`, 'utf8'))?.[1]);
  const exit = await follower.stop('SIGINT');
  assert.equal(exit.code, 0);
  assert.equal(totalHits(follower.events), LINES, 'no line lost or counted twice');
  assert.ok(statsOf(follower.events).every((e) => e['late'] === 0));
  assert.ok(peakKb < 400_000, `peak RSS ${peakKb} kB`);
  console.log(`# burst: ${Math.round(rate)} lines/s written, ${LINES} counted, peak RSS ${Math.round(peakKb / 1024)} MB`);
});
