import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualScheduler, eventually } from '../helpers/manualScheduler.js';
import { tempDir } from '../helpers/tempDir.js';
import { tailLogFile } from '../../src/index.js';
import { isOverlongLine } from '../../src/source/overlong.js';

// The public follow source: line chunks (as readLogFile's), lent, across a rotation. The
// polls run on a manual scheduler (watch off): each step is one advance of it.
test('tailLogFile: line chunks of a growing file, across a rename and create', async () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  writeFileSync(log, 'old 1\nold 2\n');
  const scheduler = new ManualScheduler();
  const lines: string[] = [];
  const sub = tailLogFile(log, { watch: false, pollInterval: 100, rotateGrace: 0, scheduler, maxLineBytes: 32 }).subscribe((chunk) => {
    // Lent: copied out during the call.
    for (let i = 0; i < chunk.count; i++) lines.push(chunk.overlong[i] === 1 ? '(overlong)' : chunk.text(i));
  });
  try {
    await eventually(async () => {
      await scheduler.advance(100);
      return lines.length >= 2;
    }, 'the lines already there');
    appendFileSync(log, `new 1\n${'x'.repeat(40)}\nnew 2\n`);
    await eventually(async () => {
      await scheduler.advance(100);
      return lines.length >= 5;
    }, 'the appended lines');
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, 'late in the old file\n');
    writeFileSync(log, 'rotated 1\n');
    await eventually(async () => {
      await scheduler.advance(100);
      return lines.includes('rotated 1');
    }, 'the new file');
    assert.deepEqual(lines, ['old 1', 'old 2', 'new 1', '(overlong)', 'new 2', 'late in the old file', 'rotated 1']);
    assert.ok(!lines.some(isOverlongLine));
  } finally {
    sub.unsubscribe();
  }
});
