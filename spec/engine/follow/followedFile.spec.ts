/**
 * A followed file of `monitorFiles` (src/engine/follow/followedFile.ts) and its check at the start
 * (`followedKind`, src/source/followCheck.ts: one stat, and one read of the first two bytes): a
 * gzip file in a followed glob is read once, its lines counted once beside a growing file's; a
 * directory, a pipe, a missing folder and a gzip file followed alone are refused as before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Subject } from 'rxjs';
import { FileError } from '../../../src/errors.js';
import { monitorFiles } from '../../../src/engine/monitorFiles.js';
import { followedKind } from '../../../src/source/followCheck.js';
import type { MonitorEvent } from '../../../src/types.js';
import { combinedLine } from '../../helpers/cli.js';
import { sleep } from '../../helpers/sleep.js';
import { tempDir } from '../../helpers/tempDir.js';

const lines = (from: number, count: number, host: string): string =>
  Array.from({ length: count }, (_, i) => `${combinedLine(from + i * 7, { host })}\n`).join('');

describe('followedFile', () => {
  it('a glob followed: a gzip file in it is read once, a plain one followed as it grows; every line counted once', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.log'), lines(0, 20, '10.0.0.1'));
    writeFileSync(join(dir, 'b.log'), gzipSync(lines(3, 30, '10.0.0.2')));
    const stop = new Subject<void>();
    const events: MonitorEvent[] = [];
    const done = new Promise<void>((resolve, reject) =>
      monitorFiles([join(dir, '*.log')], { follow: true, stop }).subscribe({
        next: (event) => events.push(event),
        error: reject,
        complete: resolve,
      }),
    );
    const hits = (): number => events.reduce((sum, e) => sum + (e.type === 'stats' ? e.hits : 0), 0);
    try {
      // Bounded waits (10 min: a loaded machine) for the lines of both files, then for 5 more appended to the plain one.
      for (let i = 0; i < 6000 && hits() < 50; i++) await sleep(100);
      assert.equal(hits(), 50);
      appendFileSync(join(dir, 'a.log'), lines(3600, 5, '10.0.0.3'));
      for (let i = 0; i < 6000 && hits() < 55; i++) await sleep(100);
    } finally {
      stop.next();
      await done;
    }
    assert.deepEqual(events.at(-1), { type: 'summary', lines: 55, parsed: 55, invalid: 0, late: 0 });
    assert.equal(hits(), 55);
  });
});

describe('followedKind', () => {
  it('plain, gzip, missing (its folder there); refused: a gzip file alone, a directory, a pipe, a missing folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain.log'), lines(0, 2, '10.0.0.1'));
    writeFileSync(join(dir, 'one.log'), 'x');
    writeFileSync(join(dir, 'empty.log'), '');
    writeFileSync(join(dir, 'packed.log'), gzipSync(lines(0, 2, '10.0.0.1')));
    mkdirSync(join(dir, 'sub'));
    execFileSync('mkfifo', [join(dir, 'pipe.log')]);
    assert.equal(await followedKind(join(dir, 'plain.log'), false), 'plain');
    assert.equal(await followedKind(join(dir, 'one.log'), true), 'plain');
    assert.equal(await followedKind(join(dir, 'empty.log'), true), 'plain');
    assert.equal(await followedKind(join(dir, 'packed.log'), false), 'gzip');
    assert.equal(await followedKind(join(dir, 'packed.log'), false, false), 'plain', 'not asked: not read');
    assert.equal(await followedKind(join(dir, 'later.log'), true), 'missing');
    const refused = async (path: string, only: boolean): Promise<FileError> => {
      const err = await followedKind(path, only).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof FileError, `${path}: ${String(err)}`);
      return err;
    };
    assert.match((await refused(join(dir, 'packed.log'), true)).message, /gzip-compressed and cannot be followed/);
    assert.equal((await refused(join(dir, 'sub'), false)).code, 'EISDIR');
    assert.equal((await refused(join(dir, 'pipe.log'), false)).code, 'EINVAL');
    const noFolder = await refused(join(dir, 'nope', 'x.log'), false);
    assert.equal(noFolder.code, 'ENOENT');
    assert.equal(noFolder.path, join(dir, 'nope'));
  });
});
