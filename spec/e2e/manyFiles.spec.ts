/**
 * A glob of thousands of small files (issue 20: 10,000 files took minutes and gigabytes):
 * read once, every line counted, the totals and intervals those of the same lines in one file.
 * Memory per file is bounded by structure (read slots, lazily grown chunks and tables, shared
 * parsers; see spec/source/readSlots.spec.ts, spec/parse/internTable.spec.ts; followed: shared
 * read buffers and listings, spec/source/readBuffers.spec.ts, dirListing.spec.ts), not timed here.
 */
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, combinedLine, ndjson, runCli } from '../helpers/cli.js';
import { sleep } from '../helpers/sleep.js';
import { tempDir } from '../helpers/tempDir.js';

test('2,000 files of 5 lines each, read once: every line counted, the same intervals as one file of all of them sorted', async () => {
  const dir = join(tempDir(), 'many');
  mkdirSync(dir);
  const all: { t: number; text: string }[] = [];
  for (let f = 0; f < 2000; f++) {
    const lines = Array.from({ length: 5 }, (_, i) => ({
      t: i * 60 + (f % 60),
      text: combinedLine(i * 60 + (f % 60), { host: `10.0.${f % 250}.${i}` }),
    }));
    all.push(...lines);
    writeFileSync(join(dir, `f${String(f).padStart(4, '0')}.log`), lines.map((l) => `${l.text}\n`).join(''));
  }
  const one = join(tempDir(), 'one.log');
  writeFileSync(
    one,
    all
      .sort((a, b) => a.t - b.t)
      .map((l) => `${l.text}\n`)
      .join(''),
  );
  const many = await runCli([join(dir, '*.log'), '--once', '--json'], { timeoutMs: 600_000 });
  const single = await runCli([one, '--once', '--json']);
  assert.equal(many.code, 0, many.stderr);
  assert.equal(many.stderr, '');
  const events = ndjson(many.stdout);
  assert.deepEqual(events.at(-1), { type: 'summary', lines: 10_000, parsed: 10_000, invalid: 0, late: 0 });
  assert.deepEqual(events, ndjson(single.stdout));
});

test('2,000 files of 5 lines each, followed: the first interval comes, and SIGTERM counts every line in the intervals', async () => {
  const dir = join(tempDir(), 'many');
  mkdirSync(dir);
  for (let f = 0; f < 2000; f++) {
    const lines = Array.from({ length: 5 }, (_, i) => combinedLine(i * 60 + (f % 60), { host: `10.0.${f % 250}.${i}` }));
    writeFileSync(join(dir, `f${String(f).padStart(4, '0')}.log`), lines.map((l) => `${l}\n`).join(''));
  }
  const child = spawn(process.execPath, [BIN, join(dir, '*.log'), '--json', '--no-checkpoint'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Bounded wait for the first interval (10 min: a loaded machine), then stop.
  for (let i = 0; i < 6000 && !out.includes('"type":"stats"'); i++) await sleep(100);
  child.kill('SIGTERM');
  assert.equal(await closed, 0, err);
  const events = ndjson(out);
  assert.deepEqual(events.at(-1), { type: 'summary', lines: 10_000, parsed: 10_000, invalid: 0, late: 0 });
  const hits = events.filter((e) => e.type === 'stats').reduce((sum, e) => sum + (e.hits as number), 0);
  assert.equal(hits, 10_000);
});

test('600 files followed under `ulimit -n 256`: none fails to open, and lines written later to closed files, or after their rotation, are counted', async () => {
  const dir = join(tempDir(), 'many');
  mkdirSync(dir);
  const files = 600;
  const name = (f: number): string => join(dir, `f${String(f).padStart(4, '0')}.log`);
  for (let f = 0; f < files; f++) {
    const lines = Array.from({ length: 5 }, (_, i) => combinedLine(i * 60 + (f % 60), { host: `10.0.${f % 250}.${i}` }));
    writeFileSync(name(f), lines.map((l) => `${l}\n`).join(''));
  }
  // 600 files, 256 descriptors: at most 128 live files open at once (src/source/openFiles.ts); the others are closed and opened again.
  const command = `ulimit -n 256 && exec "${process.execPath}" "${BIN}" "${join(dir, '*.log')}" --json --no-checkpoint`;
  const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const hits = (): number =>
    ndjson(out.slice(0, out.lastIndexOf('\n') + 1))
      .filter((e) => e.type === 'stats')
      .reduce((sum, e) => sum + (e.hits as number), 0);
  // Bounded waits (10 min: a loaded machine): every line of the files there at the start in a closed window.
  for (let i = 0; i < 6000 && hits() < files * 5; i++) await sleep(100);
  assert.equal(hits(), files * 5, err);
  // An hour later in event time: a line in each of 100 files (most of them closed by now), and 20 files rotated (rename + create) first.
  let written = 0;
  for (let f = 0; f < 100; f++) {
    if (f % 5 === 0) {
      appendFileSync(name(f), `${combinedLine(3600, { host: '10.9.9.9' })}\n`);
      renameSync(name(f), `${name(f)}.1`);
      writeFileSync(name(f), '');
      written++;
    }
    appendFileSync(name(f), `${combinedLine(3600 + f, { host: '10.9.9.9' })}\n`);
    written++;
  }
  for (let i = 0; i < 6000 && hits() < files * 5 + written; i++) await sleep(100);
  child.kill('SIGTERM');
  assert.equal(await closed, 0, err);
  assert.equal(err, '', 'no file failed to open (EMFILE) or lost its rest');
  const events = ndjson(out);
  assert.deepEqual(events.at(-1), { type: 'summary', lines: files * 5 + written, parsed: files * 5 + written, invalid: 0, late: 0 });
  assert.equal(hits(), files * 5 + written);
});

test('1,000 quiet files followed and one busy one (--idle-timeout 1): the intervals of the busy one keep coming', async () => {
  const dir = join(tempDir(), 'many');
  mkdirSync(dir);
  const files = 1000;
  const name = (f: number): string => join(dir, `f${String(f).padStart(4, '0')}.log`);
  for (let f = 0; f < files; f++) writeFileSync(name(f), `${combinedLine(f % 60, { host: `10.0.${f % 250}.1` })}\n`);
  // A thousand quiet files were polled every 2.5 s each, and the merge counted a quiet file idle only with
  // caught-up news under the idle timeout old: the busy file's lines were held for good (src/source/quietSweep.ts).
  const child = spawn(process.execPath, [BIN, join(dir, '*.log'), '--json', '--no-checkpoint', '--idle-timeout', '1', '--lateness', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const starts = (): number[] =>
    ndjson(out.slice(0, out.lastIndexOf('\n') + 1))
      .filter((e) => e.type === 'stats')
      .map((e) => Date.parse(e.start as string));
  const zero = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 6000 && !starts().some((s) => s >= zero + 50_000); i++) await sleep(100);
  assert.ok(starts().length > 0, `the first intervals came: ${err}`);
  // The busy file: a line a tenth of a second, an hour later in event time, until its first interval is out.
  let written = 0;
  for (let i = 0; i < 3000 && !starts().some((s) => s >= zero + 3_600_000); i++) {
    appendFileSync(name(0), `${combinedLine(3600 + written, { host: '10.9.9.9' })}\n`);
    written++;
    await sleep(100);
  }
  child.kill('SIGTERM');
  assert.equal(await closed, 0, err);
  assert.ok(
    starts().some((s) => s >= zero + 3_600_000),
    `the busy file's first interval came while it was written (${written} lines in ${written / 10} s)`,
  );
  const events = ndjson(out);
  assert.deepEqual(events.at(-1), { type: 'summary', lines: files + written, parsed: files + written, invalid: 0, late: 0 });
});
