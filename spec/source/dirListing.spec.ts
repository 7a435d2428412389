/**
 * `listDir` (src/source/dirListing.ts): callers asking at once share listings (ten thousand
 * followers of one folder must not list it ten thousand times), and each still sees every
 * name created before it asked.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listDir } from '../../src/source/dirListing.js';
import { removeTempDirs, tempDir } from '../helpers/tempDir.js';

after(() => removeTempDirs());

describe('listDir', () => {
  it('serves many callers at once with at most two listings, each with every name there when it asked', async () => {
    const dir = tempDir();
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, `a${i}.log`), '');
    const first = Array.from({ length: 100 }, () => listDir(dir));
    // Created after the first callers asked, before the others: those must see it.
    writeFileSync(join(dir, 'late.log'), '');
    const second = Array.from({ length: 100 }, () => listDir(dir));
    const lists = await Promise.all([...first, ...second]);
    assert.ok(new Set(lists).size <= 2, `${new Set(lists).size} listings for 200 callers`);
    for (const names of await Promise.all(second)) assert.deepEqual([...names].sort(), readdirSync(dir).sort());
    for (const names of await Promise.all(first)) assert.ok(names.length >= 50);
  });

  it('rejects as readdir does, and lists again afterwards', async () => {
    const dir = tempDir();
    await assert.rejects(listDir(join(dir, 'missing')), { code: 'ENOENT' });
    writeFileSync(join(dir, 'x.log'), '');
    assert.deepEqual(await listDir(dir), ['x.log']);
  });
});
