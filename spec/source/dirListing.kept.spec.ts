/**
 * A quiet folder keeps its listing (src/source/dirListing.ts): ten thousand followers
 * starting in one folder each ask for it, and each listing is ten thousand strings; while a
 * stat shows the folder unchanged, the kept one is served, and a change lists it again.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUIET_MS, listDir } from '../../src/source/dirListing.js';
import { quietFor, removeTempDirs, tempDir } from '../helpers/tempDir.js';

after(() => removeTempDirs());

describe('listDir, a quiet folder', () => {
  it('serves its kept listing while unchanged; a name added is seen at once, and a busy folder is listed each time', async () => {
    const dir = tempDir();
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `a${i}.log`), '');
    quietFor(dir, QUIET_MS * 5);
    const first = await listDir(dir);
    assert.equal(first.length, 20);
    assert.equal(await listDir(dir), first, 'the same listing, not a new one');
    writeFileSync(join(dir, 'new.log'), '');
    const changed = await listDir(dir);
    assert.notEqual(changed, first);
    assert.ok(changed.includes('new.log'), 'a name added after the kept listing is seen');
    // Changed just now: not quiet, so not kept.
    const again = await listDir(dir);
    assert.notEqual(again, changed);
    assert.deepEqual([...again].sort(), [...changed].sort());
  });

  it('a name removed or renamed is seen too', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.log'), '');
    writeFileSync(join(dir, 'y.log'), '');
    quietFor(dir, QUIET_MS * 5);
    assert.deepEqual([...(await listDir(dir))].sort(), ['x.log', 'y.log']);
    renameSync(join(dir, 'y.log'), join(dir, 'x.log.1'));
    assert.deepEqual([...(await listDir(dir))].sort(), ['x.log', 'x.log.1']);
  });
});
