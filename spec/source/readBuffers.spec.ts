/**
 * Followed files share their read buffers (src/source/readBuffers.ts): a pool lends at most
 * `slots` pairs, a step waits its turn for one, and many followers stepped at once hold the
 * pool's few pairs between them, not two 1 MiB buffers each (issue 20: ten thousand followed
 * files grew to gigabytes). Checked structurally: pairs allocated, and array-buffer memory
 * held by a thousand live followers after one step each.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOLLOW_READ_SLOTS, ReadBufferPool } from '../../src/source/readBuffers.js';
import { stepFollower, type StepFollower } from '../helpers/stepFollower.js';
import { removeTempDirs, tempDir } from '../helpers/tempDir.js';

const opened: StepFollower[] = [];
after(async () => {
  for (const f of opened) await f.close();
  removeTempDirs();
});

describe('ReadBufferPool', () => {
  it('lends at most `slots` pairs; a waiting taker gets the next pair given back, in order', async () => {
    const pool = new ReadBufferPool(16, 2);
    const a = await pool.take();
    const b = await pool.take();
    const got: string[] = [];
    const taken =
      (name: string) =>
      (buffers: Buffer[]): Buffer[] => {
        got.push(name);
        return buffers;
      };
    const c = pool.take().then(taken('c'));
    const d = pool.take().then(taken('d'));
    await Promise.resolve();
    assert.deepEqual(got, []);
    assert.equal(pool.inUse, 2);
    pool.give(a);
    assert.equal(await c, a);
    pool.give(b);
    assert.equal(await d, b);
    assert.deepEqual(got, ['c', 'd']);
    pool.give(await c);
    pool.give(await d);
    assert.equal(pool.inUse, 0);
    assert.equal(pool.allocated, 2);
    const again = await pool.take();
    assert.equal(again.length, 2);
    assert.ok(again.every((buffer) => buffer.length === 16));
    assert.equal(pool.allocated, 2, 'a pair given back is lent again, not allocated anew');
  });
});

describe('many followers', () => {
  it('a thousand followed files, stepped at once, read every line and hold only the shared pool of buffers', async () => {
    const dir = tempDir();
    const files = 1000;
    const followers: StepFollower[] = [];
    // Default chunk size (1 MiB): the buffers a follower would hold for itself.
    const before = process.memoryUsage().arrayBuffers;
    for (let f = 0; f < files; f++) {
      const path = join(dir, `f${f}.log`);
      // The last line is unterminated: each follower carries it (the splitter's carry).
      writeFileSync(path, `${f} a\n${f} b\n${f} c`);
      const follower = stepFollower(path);
      opened.push(follower);
      followers.push(follower);
    }
    await Promise.all(followers.map((f) => f.step()));
    const grown = process.memoryUsage().arrayBuffers - before;
    for (let f = 0; f < files; f++) assert.deepEqual(followers[f]?.lines, [`${f} a`, `${f} b`]);
    // The pool's pairs (FOLLOW_READ_SLOTS x 2 MiB) and a small carry per file; a pair per follower would be 2 GB.
    const bound = FOLLOW_READ_SLOTS * 2 * 1024 * 1024 + files * 4096;
    assert.ok(
      grown < bound,
      `array buffers grew ${(grown / 1048576).toFixed(0)} MiB for ${files} followers (bound ${(bound / 1048576).toFixed(0)} MiB)`,
    );
  });
});
