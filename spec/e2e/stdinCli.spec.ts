/**
 * Standard input read by its descriptor (src/source/descriptorChunks.ts): a shell pipe (a
 * FIFO), a redirected file and a socket all give what the file itself gives; a live pipe
 * reports before it is closed; Ctrl-C ends a run whose writer is still there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, combinedLine, ndjson, runCli, writeLog } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

const LIVE = ['-', '--json', '--interval', '1', '--lateness', '0', '--idle-timeout', '1'];

/** A FIFO opened for reading (without waiting for a writer) and for writing: what `cmd | apachescan -` gets. */
function fifo(): { read: number; write: number } {
  const path = join(tempDir(), 'in.fifo');
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, String(made.stderr));
  const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return { read, write: openSync(path, 'w') };
}

function collect(child: ChildProcess): { out: () => string; closed: Promise<number | null> } {
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve(code);
    }),
  );
  return { out: () => stdout, closed };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
}

const statsCount = (stdout: string): number => (stdout.match(/"type":"stats"/g) ?? []).length;

test('standard input from a pipe: reported while the writer is still there; a last line without newline counts at EOF', async () => {
  const { read, write } = fifo();
  const child = spawn(process.execPath, [BIN, ...LIVE], { cwd: ROOT, stdio: [read, 'pipe', 'pipe'] });
  closeSync(read);
  const run = collect(child);
  writeSync(write, `${combinedLine(0)}\n${combinedLine(0)}\n${combinedLine(1)}\n`);
  // [0,1) closes by the data; [1,2) only by the idle clock: both before any EOF.
  await waitFor(() => statsCount(run.out()) >= 2);
  assert.equal(statsCount(run.out()), 2, run.out());
  writeSync(write, `${combinedLine(5)}\n${combinedLine(6).slice(0, 40)}`);
  writeSync(write, combinedLine(6).slice(40));
  closeSync(write);
  assert.equal(await run.closed, 0);
  assert.deepEqual(ndjson(run.out()).at(-1), { type: 'summary', lines: 5, parsed: 5, invalid: 0, late: 0 });
});

test('standard input from a pipe whose writer stays: Ctrl-C prints the rest and the summary, exit 0', async () => {
  const { read, write } = fifo();
  const child = spawn(process.execPath, [BIN, ...LIVE], { cwd: ROOT, stdio: [read, 'pipe', 'pipe'] });
  closeSync(read);
  const run = collect(child);
  writeSync(write, `${combinedLine(0)}\n${combinedLine(1)}\n`);
  await waitFor(() => statsCount(run.out()) >= 1);
  child.kill('SIGINT');
  const code = await run.closed;
  closeSync(write);
  assert.equal(code, 0);
  assert.deepEqual(ndjson(run.out()).at(-1), { type: 'summary', lines: 2, parsed: 2, invalid: 0, late: 0 });
});

test('standard input as a redirected file, a pipe or a socket: the events of the file itself (lines across 1 MiB reads)', async () => {
  // ~1.7 MB: lines cross the 1 MiB reads of a regular file and the pipe's smaller ones.
  const lines = Array.from({ length: 16_000 }, (_, i) =>
    combinedLine(Math.floor(i / 7), { path: `/p/${i % 97}`, host: `10.0.${i % 13}.${i % 211}` }),
  );
  lines.splice(9_000, 0, 'garbage line', '', `${combinedLine(1_290)}\r`);
  const path = writeLog(lines);
  const expected = await runCli([path, '--once', '--json']);
  assert.equal(expected.code, 0, expected.stderr);
  assert.ok(ndjson(expected.stdout).length > 100);
  const fd = openSync(path, 'r');
  const redirected = spawnSync(process.execPath, [BIN, '-', '--once', '--json'], {
    cwd: ROOT,
    stdio: [fd, 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  closeSync(fd);
  assert.equal(redirected.stdout, expected.stdout, 'apachescan - < FILE');
  const piped = spawnSync('/bin/sh', ['-c', 'cat "$0" | exec "$1" "$2" - --once --json', path, process.execPath, BIN], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  assert.equal(piped.stdout, expected.stdout, 'cat FILE | apachescan -');
  const socket = await runCli(['-', '--once', '--json'], { stdin: lines.map((l) => `${l}\n`).join('') });
  assert.equal(socket.stdout, expected.stdout, 'a socket (child_process pipe)');
});

test('standard input as a file read from where it stands (the part before was consumed by someone else)', () => {
  const path = join(tempDir(), 'access.log');
  const head = `${combinedLine(0)}\n${combinedLine(1)}\n`;
  writeFileSync(path, `${head}${combinedLine(2)}\n${combinedLine(3)}\n`);
  const fd = openSync(path, 'r');
  const skipped = Buffer.alloc(Buffer.byteLength(head));
  assert.equal(readSync(fd, skipped, 0, skipped.length, null), skipped.length);
  const run = spawnSync(process.execPath, [BIN, '-', '--once', '--json'], { cwd: ROOT, stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8' });
  closeSync(fd);
  assert.deepEqual(ndjson(run.stdout).at(-1), { type: 'summary', lines: 2, parsed: 2, invalid: 0, late: 0 });
});
