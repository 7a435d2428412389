/**
 * The replay sources `monitorFiles` merges (src/source/streamedLogFile.ts, fileSources.ts):
 * the lines, plain or gzip, history first; errors keep their errno code;
 * a paused file stops being read (at most the read in flight still arrives), then resumes.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lastValueFrom, type Observable } from 'rxjs';
import { streamedLogFile } from '../../src/source/streamedLogFile.js';
import { replaySource } from '../../src/source/fileSources.js';
import { pauseOf } from '../../src/core/pausable.js';
import type { LineChunk } from '../../src/source/lineChunk.js';
import { spawnSync } from 'node:child_process';
import { BIN, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'apachescan-streamed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Waits for `condition`, checking every 5 ms, for at most 60 s (a loaded machine is slow, never wrong). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 12_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'condition not reached within 60 s');
}

const linesOf = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `line ${from + i} ${'x'.repeat(i % 97)}`);

/** The lines of a source of line chunks, as `LineChunk.text` gives them. */
async function linesOfSource(source: Observable<LineChunk>): Promise<string[]> {
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) =>
    source.subscribe({
      next: (chunk) => {
        for (let i = 0; i < chunk.count; i++) lines.push(chunk.text(i));
      },
      error: reject,
      complete: resolve,
    }),
  );
  return lines;
}

test('streamedLogFile: the lines, plain or gzip; a missing file fails with ENOENT', async () => {
  const lines = linesOf(0, 30_000);
  const plain = join(dir, 'plain.log');
  const packed = join(dir, 'packed.log');
  writeFileSync(plain, `${lines.join('\n')}\r\nlast without newline`);
  writeFileSync(packed, gzipSync(`${lines.join('\n')}\n`));
  assert.deepEqual(await linesOfSource(streamedLogFile(plain)), [...lines, 'last without newline']);
  assert.deepEqual(await linesOfSource(streamedLogFile(packed)), lines);
  await assert.rejects(lastValueFrom(streamedLogFile(join(dir, 'missing.log'))), { code: 'ENOENT' });
});

test('replaySource with history: rotated siblings oldest first, then the log', async () => {
  const base = join(dir, 'access.log');
  writeFileSync(`${base}.2`, gzipSync(`${linesOf(0, 10).join('\n')}\n`));
  writeFileSync(`${base}.1`, `${linesOf(10, 10).join('\n')}\n`);
  writeFileSync(base, `${linesOf(20, 10).join('\n')}\n`);
  const all = [...linesOf(0, 10), ...linesOf(10, 10), ...linesOf(20, 10)];
  assert.deepEqual(await linesOfSource(replaySource(base, true)), all);
  assert.deepEqual(await linesOfSource(replaySource(base, false)), linesOf(20, 10));
});

test('a paused file is not read further (the read in flight aside) until resumed; nothing is lost', async () => {
  const lines = linesOf(0, 60_000); // about 6 MiB: several 1 MiB reads
  const path = join(dir, 'big.log');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const source = streamedLogFile(path);
  const control = pauseOf(source);
  assert.ok(control !== undefined);
  let chunks = 0;
  let got = 0;
  let readTo = 0;
  let done = false;
  source.subscribe({
    next: (chunk) => {
      if (chunks++ === 0) control.pause();
      got += chunk.count;
      for (let i = 0; i < chunk.count; i++) readTo += (chunk.ends[i] as number) - (chunk.starts[i] as number) + 1;
    },
    complete: () => (done = true),
  });
  await until(() => chunks > 0);
  // Time for more reads to arrive, were they started (none may: the bound below holds whatever the wait).
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  // Paused during the first 1 MiB read's lines: the second read was already running.
  assert.ok(chunks >= 1 && readTo <= 2 << 20, `paused after the first chunk: ${readTo} bytes handed over`);
  const whilePaused = got;
  assert.ok(whilePaused < lines.length, 'not read to the end while paused');
  control.resume();
  await until(() => done);
  assert.equal(got, lines.length);
});

test('a pipe named as a file (/dev/stdin) is read in sequence, merged with a plain file like any other', async () => {
  const stamp = (s: number): string => `10/Oct/2026:10:00:${String(s).padStart(2, '0')} +0000`;
  const line = (host: string, s: number): string => `${host} - - [${stamp(s)}] "GET /p${s} HTTP/1.1" 200 10`;
  const piped = Array.from({ length: 3000 }, (_, i) => line('10.0.0.1', Math.floor(i / 100)));
  const plain = join(dir, 'beside-the-pipe.log');
  writeFileSync(plain, `${Array.from({ length: 3000 }, (_, i) => line('10.0.0.2', Math.floor(i / 100))).join('\n')}\n`);
  const pipedFile = join(dir, 'was-piped.log');
  writeFileSync(pipedFile, `${piped.join('\n')}\n`);
  // A real pipe (a child's stdin from Node is a socket, which /dev/stdin cannot reopen).
  const viaPipe = spawnSync(
    '/bin/sh',
    ['-c', 'cat "$0" | exec "$1" "$2" /dev/stdin "$3" --once --json --interval 10', pipedFile, process.execPath, BIN, plain],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const viaFiles = await runCli([pipedFile, plain, '--once', '--json', '--interval', '10']);
  assert.equal(viaPipe.status, 0, viaPipe.stderr);
  assert.equal(viaPipe.stdout, viaFiles.stdout);
  assert.match(viaPipe.stdout, /"lines":6000,"parsed":6000/);
});
