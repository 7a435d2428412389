/**
 * tailFile under real rotation, with a real writer process appending numbered lines at
 * 4000 lines/s: every scenario must deliver exactly lines 1..N, none lost, none twice.
 * Copytruncate scenarios pause the writer (SIGSTOP) around copy + truncate: lines written
 * between the two are lost by copytruncate itself (see logrotate(8)), whoever reads.
 * Each test takes 1-2 s.
 */
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { follow, cleanUp, type Followed } from '../helpers/follow.js';
import { lag, spinUntil, startWriter, tally, waitFor, type Writer } from '../helpers/writer.js';
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

  it('rename + create, writer reopening 700 ms late', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE, 700);
    const f = follow(p);
    await sleep(250);
    renameAndCreate(p, writer);
    await expectExactlyOnce(t, writer, f);
  });

  it('rename + create, slow writer (100 lines/s) reopening 700 ms late', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, 150, 100, 700);
    const f = follow(p);
    await sleep(300);
    renameAndCreate(p, writer, 0);
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

  it('copytruncate noticed late: the live file already outgrew the read position', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE);
    const f = follow(p);
    await sleep(250);
    const before = statSync(p).size;
    copyTruncate(p, writer);
    spinUntil(() => statSync(p).size > before + 8192, 1500);
    await expectExactlyOnce(t, writer, f);
  });

  it('two renames while the reader is blocked: the file in between is read whole', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE);
    const f = follow(p);
    await sleep(250);
    renameAndCreate(p, writer);
    lag(200); // the writer fills the second file, which the reader never sees at the path
    renameAndCreate(p, writer, 0);
    await expectExactlyOnce(t, writer, f);
  });

  it('two copytruncates while the reader is blocked: both copies are read', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE);
    const f = follow(p);
    await sleep(250);
    copyTruncate(p, writer);
    lag(200);
    copyTruncate(p, writer, 0);
    await expectExactlyOnce(t, writer, f);
  });

  it('plain truncation: starts over at 0', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE);
    const f = follow(p);
    await sleep(300);
    writer.pause();
    // Lines not yet read when a file is truncated are gone; wait until all were read.
    assert.ok(await waitFor(() => f.chunks.at(-1)?.position.offset === statSync(p).size, 20_000), 'everything written so far read');
    truncateSync(p, 0);
    writer.resume();
    await expectExactlyOnce(t, writer, f);
    assert.ok(f.warnings.some((w) => w.includes('truncated')), 'a truncation warning');
  });

  it('delete + recreate, writer writing to the deleted file for 300 ms', async (t) => {
    const p = join(tempDir(), 'access.log');
    const writer = await startWriter(p, N, RATE, 300);
    const f = follow(p);
    await sleep(250);
    lag(100);
    rmSync(p);
    writer.reopen();
    await expectExactlyOnce(t, writer, f);
  });

  it('file missing at start, created later: waits without error', async (t) => {
    const p = join(tempDir(), 'access.log');
    const f = follow(p);
    await sleep(300);
    assert.deepEqual([f.lines, f.warnings, f.errors], [[], [], []]);
    const writer = await startWriter(p, N, RATE);
    await expectExactlyOnce(t, writer, f);
    assert.deepEqual(f.warnings, []);
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

describe('tailFile resuming from a saved position', () => {
  for (const [name, rotate] of [
    ['rename + create', renameAndCreate],
    ['copytruncate', copyTruncate],
  ] as const) {
    it(`loses nothing across two ${name} rotations while stopped`, async (t) => {
      const p = join(tempDir(), 'access.log');
      const writer = await startWriter(p, N, RATE);
      const first = follow(p);
      await sleep(300);
      first.stop();
      const saved = first.chunks.at(-1)?.position;
      assert.ok(saved !== undefined && saved.offset > 0);
      await sleep(100);
      rotate(p, writer, 0);
      await sleep(200);
      rotate(p, writer, 0);
      await sleep(200);
      const second = follow(p, { startPosition: saved });
      await expectExactlyOnce(t, writer, second, first.lines);
      assert.ok(!second.warnings.some((w) => w.includes('gone')), second.warnings.join('; '));
    });
  }
});
