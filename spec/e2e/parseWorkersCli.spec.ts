/**
 * `--once` on a file of many segments with parsing workers, through the real CLI (the bundle and its
 * worker entry, dist/cli/parseWorker.js): the output of any worker count is the output of the
 * main thread alone (and of the same bytes on standard input); SIGTERM during a replay on
 * workers ends it with its summary; a bad `--parse-workers` is one line, exit 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, combinedLine, ndjson, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

/** About 38 MB (38 segments; workers parse files from 1 MiB when a count is given): many clients and paths, some invalid and some late lines. */
function bigLog(): string {
  const path = join(tempDir(), 'big.log');
  const parts: string[] = [];
  for (let i = 0; i < 400_000; i++) {
    const s = Math.floor(i / 50) - (i % 1009 === 0 ? 40 : 0);
    parts.push(
      i % 997 === 0
        ? `garbage line ${i}`
        : combinedLine(s, {
            host: `10.1.${(i >> 8) & 255}.${i & 255}`,
            path: `/p${i % 3001}/x`,
            status: i % 13 === 0 ? 404 : 200,
            bytes: i % 5000,
          }),
    );
  }
  writeFileSync(path, `${parts.join('\n')}\n`);
  return path;
}

const ARGS = ['--once', '--json', '--interval', '60', '--lateness', '10'];

test('--once on a 38 MB file: 1 or 2 parsing workers print what the main thread alone prints, and what standard input gives', {
  timeout: 240_000,
}, async () => {
  const path = bigLog();
  const alone = await runCli([path, ...ARGS, '--parse-workers', '0'], { timeoutMs: 120_000 });
  assert.equal(alone.code, 0, alone.stderr);
  const summary = ndjson(alone.stdout).at(-1);
  assert.equal(summary?.['lines'], 400_000);
  assert.ok((summary?.['invalid'] as number) > 0 && (summary?.['late'] as number) > 0, JSON.stringify(summary));
  for (const workers of ['1', '2']) {
    const run = await runCli([path, ...ARGS, '--parse-workers', workers], { timeoutMs: 120_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, alone.stdout, `--parse-workers ${workers}`);
  }
  const piped = await runCli(['-', ...ARGS], { stdin: readFileSync(path, 'utf8'), timeoutMs: 120_000 });
  assert.equal(piped.stdout, alone.stdout);
});

test('SIGTERM during a replay on workers: the run ends with its summary, exit 0', { timeout: 120_000 }, async () => {
  const path = bigLog();
  const child = spawn(process.execPath, [BIN, path, ...ARGS, '--parse-workers', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let signalled = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (!signalled) {
      signalled = true;
      child.kill('SIGTERM');
    }
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(guard);
  assert.equal(code, 0);
  assert.equal(ndjson(stdout).at(-1)?.['type'], 'summary');
});

test('--parse-workers that is not a whole number from 0 to 64: one line, exit 2', async () => {
  for (const bad of ['-1', '1.5', 'many', '65']) {
    const run = await runCli(['access.log', '--once', '--parse-workers', bad]);
    assert.equal(run.code, 2, bad);
    assert.match(run.stderr, /^apachescan: --parse-workers must be a whole number from 0 to 64/, bad);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  }
});
