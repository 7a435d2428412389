import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { writeCheckpointSync, type CheckpointFs } from '../../../src/engine/checkpoint/writeCheckpointSync.js';
import { tempDir } from '../../helpers/tempDir.js';

/** The real file system, each call recorded as `name path-or-fd`. */
function recording(): { fs: CheckpointFs; calls: string[] } {
  const calls: string[] = [];
  const names = new Map<number, string>();
  const rec: CheckpointFs = {
    mkdirSync: ((path: fs.PathLike, options?: fs.MakeDirectoryOptions) => fs.mkdirSync(path, options)) as CheckpointFs['mkdirSync'],
    openSync: ((path: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      const fd = fs.openSync(path, flags, mode);
      names.set(fd, String(path));
      calls.push(`open ${String(path)}`);
      return fd;
    }) as CheckpointFs['openSync'],
    writeSync: ((fd: number, ...rest: unknown[]) => {
      calls.push(`write ${names.get(fd)}`);
      return (fs.writeSync as (...args: unknown[]) => number)(fd, ...rest);
    }) as CheckpointFs['writeSync'],
    fsyncSync: (fd) => {
      calls.push(`fsync ${names.get(fd)}`);
      fs.fsyncSync(fd);
    },
    closeSync: (fd) => {
      calls.push(`close ${names.get(fd)}`);
      fs.closeSync(fd);
    },
    renameSync: (from, to) => {
      calls.push(`rename ${String(from)} ${String(to)}`);
      fs.renameSync(from, to);
    },
    unlinkSync: (path) => fs.unlinkSync(path),
  };
  return { fs: rec, calls };
}

test('a checkpoint is written to a temp file, fsynced, renamed over the old one, and its folder fsynced', () => {
  const dir = tempDir();
  const path = join(dir, 'state', 'cp.json');
  const { fs: rec, calls } = recording();
  writeCheckpointSync(path, { version: 2, n: 1 }, false, rec);
  assert.equal(fs.readFileSync(path, 'utf8'), '{"version":2,"n":1}\n');
  assert.equal((fs.statSync(path).mode & 0o777).toString(8), '600');
  const temp = `${path}.${process.pid}.tmp`;
  assert.deepEqual(calls, [
    `open ${temp}`,
    `write ${temp}`,
    `fsync ${temp}`,
    `close ${temp}`,
    `rename ${temp} ${path}`,
    `open ${join(dir, 'state')}`,
    `fsync ${join(dir, 'state')}`,
    `close ${join(dir, 'state')}`,
  ]);
  writeCheckpointSync(path, 'x'.repeat(100_000), true, rec);
  assert.equal(fs.readFileSync(path, 'utf8'), 'x'.repeat(100_000), 'a long one is written whole');
  assert.deepEqual(fs.readdirSync(join(dir, 'state')), ['cp.json'], 'no temp file left');
});

test('a failed write leaves the old checkpoint and no temp file, and throws', () => {
  const dir = tempDir();
  const path = join(dir, 'cp.json');
  writeCheckpointSync(path, { old: true });
  const { fs: rec } = recording();
  const failing: CheckpointFs = {
    ...rec,
    fsyncSync: () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    },
  };
  assert.throws(() => writeCheckpointSync(path, { old: false }, false, failing), /ENOSPC/);
  assert.equal(fs.readFileSync(path, 'utf8'), '{"old":true}\n');
  assert.deepEqual(fs.readdirSync(dir), ['cp.json']);
});
