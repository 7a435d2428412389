import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { T0, numberedLine } from '../helpers/logWriter.js';
import { tempDir } from '../helpers/tempDir.js';

const EXAMPLE = join(ROOT, 'samples', 'embedding', 'resume.mjs');

function run(log: string, checkpoint: string): { type: string; start?: string; hits?: number; lines?: number }[] {
  const out = spawnSync(process.execPath, [EXAMPLE, log, checkpoint], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string });
}

const lines = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => `${numberedLine(from + i, T0 + (from + i) * 1000)}\n`).join('');

test('samples/embedding/resume.mjs: a second run resumes from the checkpoint, no interval twice, none skipped', () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const checkpoint = join(dir, 'checkpoint.json');
  writeFileSync(log, lines(0, 65));
  const first = run(log, checkpoint);
  appendFileSync(log, lines(65, 60));
  const second = run(log, checkpoint);
  const third = run(log, checkpoint); // nothing new: nothing reported again
  const starts = (events: { type: string; start?: string }[]) =>
    events.filter((e) => e.type === 'stats').map((e) => (Date.parse(e.start ?? '') - T0) / 1000);
  // Lateness 10 s: the first run reports up to the interval the watermark closed and keeps the rest open.
  assert.deepEqual(starts(first), [0, 10, 20, 30, 40]);
  assert.deepEqual(starts(second), [50, 60, 70, 80, 90, 100]);
  assert.deepEqual(starts(third), []);
  const hits = [...first, ...second].filter((e) => e.type === 'stats').reduce((sum, e) => sum + (e.hits ?? 0), 0);
  assert.equal(hits, 110);
  assert.equal(second.find((e) => e.type === 'summary')?.lines, 110);
});

test('samples/embedding/resume.mjs: a checkpoint made with other settings is refused with one line, exit 2', () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  writeFileSync(log, lines(0, 5));
  const checkpoint = join(dir, 'checkpoint.json');
  writeFileSync(checkpoint, '{"version":1}');
  const out = spawnSync(process.execPath, [EXAMPLE, log, checkpoint], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(out.status, 2);
  assert.match(out.stderr, /^resume: checkpoint .*checkpoint\.json is not an apachescan checkpoint of this version/);
});
