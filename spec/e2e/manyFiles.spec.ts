/**
 * A glob of thousands of small files (issue 20: 10,000 files took minutes and gigabytes):
 * read once, every line counted, the totals and intervals those of the same lines in one file.
 * Memory per file is bounded by structure (read slots, lazily grown chunks and tables, shared
 * parsers; see spec/source/readSlots.spec.ts, spec/parse/internTable.spec.ts), not timed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine, ndjson, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

test('2,000 files of 5 lines each, read once: every line counted, the same intervals as one file of all of them sorted', async () => {
  const dir = join(tempDir(), 'many');
  mkdirSync(dir);
  const all: { t: number; text: string }[] = [];
  for (let f = 0; f < 2000; f++) {
    const lines = Array.from({ length: 5 }, (_, i) => ({ t: i * 60 + (f % 60), text: combinedLine(i * 60 + (f % 60), { host: `10.0.${f % 250}.${i}` }) }));
    all.push(...lines);
    writeFileSync(join(dir, `f${String(f).padStart(4, '0')}.log`), lines.map((l) => `${l.text}\n`).join(''));
  }
  const one = join(tempDir(), 'one.log');
  writeFileSync(one, all.sort((a, b) => a.t - b.t).map((l) => `${l.text}\n`).join(''));
  const many = await runCli([join(dir, '*.log'), '--once', '--json'], { timeoutMs: 600_000 });
  const single = await runCli([one, '--once', '--json']);
  assert.equal(many.code, 0, many.stderr);
  assert.equal(many.stderr, '');
  const events = ndjson(many.stdout);
  assert.deepEqual(events.at(-1), { type: 'summary', lines: 10_000, parsed: 10_000, invalid: 0, late: 0 });
  assert.deepEqual(events, ndjson(single.stdout));
});
