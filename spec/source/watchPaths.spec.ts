/**
 * The paths a follower's globs name as files appear (src/source/watchPaths.ts): a rotated
 * sibling that appears during the run (`shop.log.1` after a rotation of a followed `shop.log`)
 * is not named, with or without history: the followed file's tailer has read its lines.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { watchPaths } from '../../src/source/watchPaths.js';
import { eventually } from '../helpers/manualScheduler.js';

const dir = mkdtempSync(join(tmpdir(), 'apachescan-watch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const history of [false, true]) {
  test(`a rotation during the run is not a new file (history: ${history}); a new log is`, async () => {
    const sub = join(dir, `h${String(history)}`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    writeFileSync(join(sub, 'shop.log'), 'a\n');
    writeFileSync(join(sub, 'old.log.1'), 'b\n'); // there at the start, without its log: named
    const named: string[] = [];
    const subscription = watchPaths([join(sub, '*')], 10, asyncScheduler, history).subscribe(({ path }) => named.push(path));
    try {
      await eventually(() => named.length >= 2, 'the files there at the start');
      renameSync(join(sub, 'shop.log'), join(sub, 'shop.log.1'));
      writeFileSync(join(sub, 'shop.log'), 'c\n');
      writeFileSync(join(sub, 'blog.log'), 'd\n');
      await eventually(() => named.includes(join(sub, 'blog.log')), 'the new log');
      // Scans after the rotation named the new log; the rotated file never.
      assert.deepEqual(named.map((p) => p.slice(sub.length + 1)).sort(), ['blog.log', 'old.log.1', 'shop.log']);
    } finally {
      subscription.unsubscribe();
    }
  });
}
