/**
 * Trouble at run time that must not end in a stack trace or lose what was counted: the
 * reader of the output goes away, the checkpoint disk is full, an output throws.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fanOut } from '../../src/sinks/connectSinks.js';
import type { Sink } from '../../src/sinks/sink.js';
import type { MonitorEvent } from '../../src/types.js';
import { BIN, ROOT, combinedLine, writeLog } from '../helpers/cli.js';
import { startFollower, statsOf, stopFollowers } from '../helpers/follower.js';
import { tempDir } from '../helpers/tempDir.js';

after(() => stopFollowers());

test('the reader of the output goes away (| head): exit 0, nothing on stderr', async () => {
  const lines = Array.from({ length: 20_000 }, (_, i) => combinedLine(i));
  const child = spawn(process.execPath, [BIN, writeLog(lines), '--once', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.match(first, /^\{"type":"stats"/);
  assert.equal(stderr, '');
  assert.equal(code, 0);
});

/** A tmpfs of 8 KiB filled up: every write there fails with ENOSPC. Undefined where mounting is not allowed. */
function fullDisk(): string | undefined {
  const dir = join(tempDir(), 'full');
  mkdirSync(dir);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', dir]).status !== 0) return undefined;
  after(() => void spawnSync('umount', ['-l', dir]));
  spawnSync('dd', ['if=/dev/zero', `of=${join(dir, 'fill')}`, 'bs=1k', 'count=64']);
  return dir;
}

const disk = fullDisk();

test('a full checkpoint disk: one clear warning, following and counting go on; at the stop the open windows are left for the next run', {
  skip: disk === undefined ? 'cannot mount a tmpfs here (not root?)' : false,
}, async () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  writeFileSync(log, '');
  const follower = startFollower([
    log,
    '--json',
    '--interval',
    '1',
    '--lateness',
    '0',
    '--idle-timeout',
    '1',
    '--checkpoint',
    join(disk as string, 'cp.json'),
  ]);
  for (let s = 0; s < 5; s++) appendFileSync(log, Array.from({ length: 10 }, () => `${combinedLine(s)}\n`).join(''));
  await follower.waitFor('four closed windows', () => statsOf(follower.events).length >= 4);
  for (let s = 5; s < 8; s++) appendFileSync(log, Array.from({ length: 10 }, () => `${combinedLine(s)}\n`).join(''));
  await follower.waitFor('seven closed windows', () => statsOf(follower.events).length >= 7);
  const exit = await follower.stop('SIGINT');
  assert.equal(exit.code, 0);
  const warnings = follower
    .stderr()
    .split('\n')
    .filter((l) => l.includes('cannot save checkpoint'));
  assert.equal(warnings.length, 2, follower.stderr());
  assert.match(warnings[0] ?? '', /^apachescan: cannot save checkpoint .*cp\.json: .*ENOSPC.*\(still following; will retry\)$/);
  // Stopped while the checkpoint still cannot be saved: the open window is not reported half
  // full (the next run reads it again, from the top here: nothing was ever saved), and stderr says so.
  assert.match(
    warnings[1] ?? '',
    /^apachescan: cannot save checkpoint .*cp\.json: .*ENOSPC.*; the open windows are left for the next run, which reads again from the last save$/,
  );
  assert.deepEqual(
    statsOf(follower.events).map((e) => e['hits']),
    [10, 10, 10, 10, 10, 10, 10],
  );
  assert.deepEqual(follower.events.at(-1), { type: 'summary', lines: 70, parsed: 70, invalid: 0, late: 0, held: 10 });
});

test('fanOut: a consumer that throws is reported once and dropped; the others go on', () => {
  const seen: string[] = [];
  const warnings: string[] = [];
  const ok = (name: string): Sink => ({
    next: (e) => void seen.push(`${name}:${e.type}`),
    close: async () => ({ name, delivered: 0, undelivered: 0 }),
  });
  const broken: Sink = {
    next: () => {
      throw new Error('socket closed');
    },
    close: async () => ({ name: 'broken', delivered: 0, undelivered: 0 }),
  };
  const next = fanOut([ok('a'), broken, ok('b')], (m) => warnings.push(m));
  const summary: MonitorEvent = { type: 'summary', lines: 0, parsed: 0, invalid: 0, late: 0 };
  next(summary);
  next(summary);
  assert.deepEqual(seen, ['a:summary', 'b:summary', 'a:summary', 'b:summary']);
  assert.deepEqual(warnings, ['an output failed and was stopped: socket closed']);
});

test('standard input left open: windows close by the clock, Ctrl-C prints the rest and the summary', async () => {
  const child = spawn(process.execPath, [BIN, '-', '--json', '--interval', '1', '--lateness', '0', '--idle-timeout', '1'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stdin.write(`${combinedLine(0)}\n${combinedLine(0)}\n${combinedLine(1)}\n`);
  const deadline = Date.now() + 10_000;
  // [0,1) closes by the data; [1,2) only by the clock, about 1 s of silence later.
  while (Date.now() < deadline && (stdout.match(/"type":"stats"/g) ?? []).length < 2) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(guard);
  const events = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    events
      .filter((e) => e['type'] === 'stats')
      .slice(0, 2)
      .map((e) => e['hits']),
    [2, 1],
  );
  assert.deepEqual(events.at(-1), { type: 'summary', lines: 3, parsed: 3, invalid: 0, late: 0 });
  assert.equal(code, 0);
});
