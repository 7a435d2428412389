/**
 * End to end with a real writer: tailFile (watch, poll, pacing and step together) under real
 * rotation, a writer process appending numbered lines at 4000 lines/s, logrotate itself
 * where installed: every scenario must deliver exactly lines 1..N, none lost, none twice.
 * These pace the rotations with the wall clock, so the interleaving varies from run to run;
 * each interleaving of rotation, truncation and idle is tested deterministically, step by
 * step, in fileFollower.spec.ts.
 * Copytruncate scenarios pause the writer (SIGSTOP) around copy + truncate: lines written
 * between the two are lost by copytruncate itself (see logrotate(8)), whoever reads.
 * Each test takes 1-2 s.
 */
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { follow, cleanUp, type Followed } from '../helpers/follow.js';
import { lag, startWriter, tally, waitFor, type Writer } from '../helpers/writer.js';
import { sleep } from '../helpers/sleep.js';
import { tempDir } from '../helpers/tempDir.js';

const N = 4000;
const RATE = 4000;
const LOGROTATE = '/usr/sbin/logrotate';
const noLogrotate = existsSync(LOGROTATE) ? false : 'logrotate is not installed';

after(cleanUp);

/**
 * Waits for the writer to finish and the reader to catch up, then checks that `earlier` (lines
 * of a previous reader) and the lines of `f` hold 1..N once each.
 */
async function expectExactlyOnce(t: TestContext, writer: Writer, f: Followed, earlier: string[] = []): Promise<void> {
  const n = await writer.done;
  const caughtUp = await waitFor(() => earlier.length + f.lines.length >= n, 20_000);
  await sleep(100); // late duplicates, if any, would show up here
  f.stop();
  const lines = [...earlier, ...f.lines];
  const counts = tally(lines, n);
  t.diagnostic(`${n} written, ${lines.length} read: lost ${counts.lost}, duplicated ${counts.duplicated}`);
  assert.ok(caughtUp, `caught up: ${lines.length} of ${n}`);
  assert.deepEqual(counts, { lost: 0, duplicated: 0, unexpected: 0 });
  assert.deepEqual(f.errors, []);
}

/** Shifts `<p>.1` to `<p>.2` (as logrotate numbers them). */
function shift(p: string): void {
  if (existsSync(`${p}.1`)) renameSync(`${p}.1`, `${p}.2`);
}

// Rotations run synchronously after blocking this process's event loop for `behind` ms, so
// the reader (in this process) has unread lines in the file when it is rotated.

function renameAndCreate(p: string, writer: Writer, behind = 100): void {
  lag(behind);
  shift(p);
  renameSync(p, `${p}.1`);
  writeFileSync(p, '');
  writer.reopen();
}

function copyTruncate(p: string, writer: Writer, behind = 100): void {
  lag(behind);
  writer.pause();
  shift(p);
  copyFileSync(p, `${p}.1`);
  truncateSync(p, 0);
  writer.resume();
}

function logrotate(dir: string, p: string, directives: string, behind = 100): void {
  const conf = join(dir, 'logrotate.conf');
  writeFileSync(conf, `${p} {\n  rotate 5\n  nocompress\n  missingok\n${directives}\n}\n`);
  lag(behind);
  execFileSync(LOGROTATE, ['-f', '-s', join(dir, 'logrotate.state'), conf]);
}

describe('tailFile rotation scenarios (real writer, 4000 lines/s)', () => {
  it('rename + create, writer reopening at once (twice)', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE);
    const f = follow(p);
    await sleep(250);
    renameAndCreate(p, writer);
    await sleep(350);
    renameAndCreate(p, writer);
    await expectExactlyOnce(t, writer, f);
  });

  it('rename + create, polling only (watch: false)', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE, 200);
    const f = follow(p, { watch: false, pollInterval: 100 });
    await sleep(250);
    renameAndCreate(p, writer);
    await sleep(400);
    renameAndCreate(p, writer);
    await expectExactlyOnce(t, writer, f);
  });

  it('copytruncate by copy + truncate (twice)', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE);
    const f = follow(p);
    await sleep(250);
    copyTruncate(p, writer);
    await sleep(350);
    copyTruncate(p, writer);
    await expectExactlyOnce(t, writer, f);
  });

  it('logrotate copytruncate (twice)', { skip: noLogrotate }, async (t) => {
    const dir = tempDir();
    const p = join(dir, 'access.log');
    const writer = await startWriter(p, N, RATE);
    const f = follow(p);
    for (const wait of [250, 350]) {
      await sleep(wait);
      writer.pause();
      logrotate(dir, p, '  copytruncate');
      writer.resume();
    }
    await expectExactlyOnce(t, writer, f);
    assert.ok(existsSync(`${p}.2`), 'logrotate rotated twice');
  });

  it('logrotate create + postrotate HUP, writer reopening 200 ms late (twice)', { skip: noLogrotate }, async (t) => {
    const dir = tempDir();
    const p = join(dir, 'access.log');
    const writer = await startWriter(p, N, RATE, 200);
    const f = follow(p);
    const hup = `  create\n  postrotate\n    kill -HUP ${writer.pid}\n  endscript`;
    for (const wait of [250, 350]) {
      await sleep(wait);
      logrotate(dir, p, hup);
    }
    await expectExactlyOnce(t, writer, f);
    assert.ok(existsSync(`${p}.2`), 'logrotate rotated twice');
  });
});
