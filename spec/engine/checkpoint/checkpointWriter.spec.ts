import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointWriter } from '../../../src/engine/checkpoint/checkpointWriter.js';
import { loadCheckpoint } from '../../../src/engine/checkpoint/checkpointStore.js';
import { tempDir } from '../../helpers/tempDir.js';

const anything = (value: unknown): value is unknown => value !== undefined;

test('checkpoint writer: every save reads back exactly, growing, shrinking, past a page and back, in place once it exists', async () => {
  const path = join(tempDir(), 'state', 'cp.json');
  const writer = new CheckpointWriter(path);
  const values = [{ a: 1, s: 'x'.repeat(2000) }, { a: 2 }, { a: 3, s: 'y'.repeat(9000) }, { a: 4, s: 'é'.repeat(1500) }, { a: 5 }];
  let inode: number | undefined;
  for (const value of values) {
    writer.save(value);
    assert.deepEqual(await loadCheckpoint(path, anything), value);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), value);
    const info = statSync(path);
    if (JSON.stringify(value).length < 4000) {
      if (inode !== undefined) assert.equal(info.ino, inode, 'rewritten in place');
      assert.equal(info.size, 4096);
      inode = info.ino;
    } else {
      inode = undefined; // replaced (temp + rename); written in place again from the next save
    }
  }
  const before = statSync(path).ino;
  writer.save({ a: 6 }, true);
  assert.notEqual(statSync(path).ino, before, 'replace: a new file, as the last save of a run writes it');
  assert.deepEqual(await loadCheckpoint(path, anything), { a: 6 });
  writer.save({ a: 7 });
  assert.deepEqual(await loadCheckpoint(path, anything), { a: 7 });
  writer.close();
});

test('checkpoint writer: a failing save throws, and the next one tries again', () => {
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, '');
  const writer = new CheckpointWriter(join(file, 'cp.json')); // a path under a file: ENOTDIR
  assert.throws(() => writer.save({ a: 1 }));
  assert.throws(() => writer.save({ a: 2 }));
});

test('checkpoint writer: the count of reports sent is the first field, rewritten in place between saves, and taken over by the next run', async () => {
  const path = join(tempDir(), 'cp.json');
  const writer = new CheckpointWriter(path, { countSent: true });
  writer.markSent(3); // no file yet: the first save carries it
  writer.save({ a: 1, big: 'z'.repeat(5000) });
  assert.deepEqual(await loadCheckpoint(path, anything), { sent: 3, a: 1, big: 'z'.repeat(5000) });
  const ino = statSync(path).ino;
  writer.markSent(1_234_567);
  assert.equal(statSync(path).ino, ino, 'in place, also in a checkpoint longer than a page');
  assert.deepEqual(await loadCheckpoint(path, anything), { sent: 1_234_567, a: 1, big: 'z'.repeat(5000) });
  writer.save({ a: 2 });
  writer.markSent(1_234_568);
  assert.deepEqual(await loadCheckpoint(path, anything), { sent: 1_234_568, a: 2 });
  writer.close();
  // The next run marks in the file the last one left, before its own first save.
  const next = new CheckpointWriter(path, { countSent: true });
  next.markSent(1_234_569);
  assert.deepEqual(await loadCheckpoint(path, anything), { sent: 1_234_569, a: 2 });
  next.close();
  // Without countSent, values are written as they are.
  const plain = new CheckpointWriter(path);
  plain.markSent(9);
  plain.save({ b: 1 });
  assert.deepEqual(await loadCheckpoint(path, anything), { b: 1 });
  plain.close();
});

/** `dir` bind-mounted over itself, read-only (undefined where mounting is not allowed: not root). Undone by the returned function. */
function readOnlyBind(dir: string): (() => void) | undefined {
  if (spawnSync('mount', ['--bind', dir, dir]).status !== 0) return undefined;
  if (spawnSync('mount', ['-o', 'remount,bind,ro', dir]).status !== 0) {
    spawnSync('umount', ['-l', dir]);
    return undefined;
  }
  return () => void spawnSync('umount', ['-l', dir]);
}

// Issue 20: the folder made read-only under a running follower (a bind mount; a chmod does not
// stop root), the in-place write still went through the descriptor opened before, so nothing
// warned until the stop: an in-place save throws where creating the file would fail.
test('checkpoint writer: an in-place save into a folder made read-only throws (EROFS: the last save will fail), and not once it is writable', {
  skip: process.getuid?.() !== 0 ? 'needs root to bind-mount a read-only folder' : false,
}, async (t) => {
  const dir = join(tempDir(), 'state');
  mkdirSync(dir);
  const path = join(dir, 'cp.json');
  const writer = new CheckpointWriter(path);
  writer.save({ a: 1 });
  writer.save({ a: 2 }); // in place from now on
  const undo = readOnlyBind(dir);
  if (undo === undefined) return t.skip('cannot bind-mount here');
  try {
    assert.throws(
      () => writer.save({ a: 3 }),
      (err: NodeJS.ErrnoException) => err.code === 'EROFS',
    );
    assert.throws(
      () => writer.save({ a: 4 }),
      (err: NodeJS.ErrnoException) => err.code === 'EROFS',
    );
  } finally {
    undo();
  }
  assert.deepEqual(await loadCheckpoint(path, anything), { a: 4 }, 'kept current through the open descriptor all the same');
  writer.save({ a: 5 });
  assert.deepEqual(await loadCheckpoint(path, anything), { a: 5 });
  writer.close();
});
