/**
 * A glob over quiet folders is not listed again while they are unchanged (src/source/glob.ts):
 * following ten thousand files re-scans the glob every 2 s, and each scan was a listing of
 * ten thousand names. A name added, removed or renamed changes the folder: listed again.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandGlob, expansionKept } from '../../src/source/glob.js';
import { QUIET_MS } from '../../src/source/dirListing.js';
import { quietFor, removeTempDirs, tempDir } from '../helpers/tempDir.js';

after(() => removeTempDirs());

describe('expandGlob, quiet folders', () => {
  it('keeps the expansion of a quiet folder and gives it again; a change is seen at once', async () => {
    const dir = tempDir();
    for (const name of ['a.log', 'b.log', 'c.txt']) writeFileSync(join(dir, name), '');
    quietFor(dir, QUIET_MS * 5);
    const pattern = join(dir, '*.log');
    assert.deepEqual(await expandGlob(pattern), [join(dir, 'a.log'), join(dir, 'b.log')]);
    assert.ok(expansionKept(pattern), 'kept: the folder is quiet');
    assert.deepEqual(await expandGlob(pattern), [join(dir, 'a.log'), join(dir, 'b.log')]);
    writeFileSync(join(dir, 'd.log'), '');
    assert.deepEqual(await expandGlob(pattern), [join(dir, 'a.log'), join(dir, 'b.log'), join(dir, 'd.log')], 'a new file');
    assert.equal(expansionKept(pattern), false, 'changed just now: not kept');
    quietFor(dir, QUIET_MS * 5);
    await expandGlob(pattern);
    unlinkSync(join(dir, 'a.log'));
    assert.deepEqual(await expandGlob(pattern), [join(dir, 'b.log'), join(dir, 'd.log')], 'a file removed');
    quietFor(dir, QUIET_MS * 5);
    await expandGlob(pattern);
    renameSync(join(dir, 'b.log'), join(dir, 'b.log.1'));
    assert.deepEqual(await expandGlob(pattern), [join(dir, 'd.log')], 'a file renamed');
  });

  it('a folder that changed recently, or a match that is a symbolic link, is listed each time', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.log'), '');
    const pattern = join(dir, '*.log');
    assert.deepEqual(await expandGlob(pattern), [join(dir, 'a.log')]);
    assert.equal(expansionKept(pattern), false, 'the folder changed just now');
    const other = tempDir();
    mkdirSync(join(other, 'target'));
    symlinkSync(join(other, 'target'), join(dir, 'dir.log'));
    quietFor(dir, QUIET_MS * 5);
    assert.deepEqual(await expandGlob(pattern), [join(dir, 'a.log')], 'a link to a folder is not a file');
    assert.equal(expansionKept(pattern), false, 'a link: what it names can change without its folder');
  });
});
