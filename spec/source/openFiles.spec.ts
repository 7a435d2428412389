/**
 * Followers within the open-files limit (src/source/openFiles.ts): a follower holds a place
 * while its live file is open; when another waits, an idle one closes its file ("parks" it)
 * and opens it again at its next step by path + device + inode + offset, or finds it among
 * its rotated siblings when it was rotated away meanwhile. Driven by hand (stepFollower), with
 * a limit of 2 places for 5 files: every interleaving of writes, rotations and closed files
 * is the one chosen here. Every line is read once; never more than 2 live files are open.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { OpenFiles } from '../../src/source/openFiles.js';
import { stepFollower, type StepFollower } from '../helpers/stepFollower.js';
import { removeTempDirs, tempDir } from '../helpers/tempDir.js';

const opened: StepFollower[] = [];
after(async () => {
  for (const f of opened) await f.close();
  removeTempDirs();
});

describe('OpenFiles', () => {
  it('grants up to its limit, then in order, each waiter taking the place an idle holder gives up', async () => {
    const places = new OpenFiles(2);
    await places.acquire();
    await places.acquire();
    const closed: string[] = [];
    places.setIdle({ closeForOthers: async () => void closed.push('a') });
    places.setIdle({ closeForOthers: async () => void closed.push('b') });
    const got: string[] = [];
    const first = places.acquire().then(() => got.push('first'));
    assert.deepEqual(closed, ['a'], 'the least recently idle holder is asked first, one per waiter');
    await first;
    const second = places.acquire().then(() => got.push('second'));
    await second;
    assert.deepEqual(closed, ['a', 'b']);
    assert.deepEqual(got, ['first', 'second']);
    assert.equal(places.held, 2);
    // No idle holder left: the next waits for a release.
    let third = false;
    const waiting = places.acquire().then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(third, false);
    places.release();
    await waiting;
    assert.equal(places.held, 2);
    places.release();
    assert.equal(await places.within(async () => 7), 7);
    assert.equal(places.held, 1, 'within gives its place back');
  });
});

/** The live files the followers hold open now. */
const openLive = (followers: readonly StepFollower[]): number => followers.filter((f) => f.follower.state.current !== undefined).length;

function setUp(files: number, limit: number): { paths: string[]; followers: StepFollower[]; places: OpenFiles } {
  const dir = tempDir();
  const places = new OpenFiles(limit);
  const paths = Array.from({ length: files }, (_, i) => join(dir, `f${i}.log`));
  const followers = paths.map((path) => {
    writeFileSync(path, `${path} 0\n`);
    const f = stepFollower(path, { openFiles: places });
    opened.push(f);
    return f;
  });
  return { paths, followers, places };
}

/** One step of every follower, all at once (they wait their turn for a place). */
async function stepAll(followers: readonly StepFollower[], places: OpenFiles): Promise<void> {
  await Promise.all(followers.map((f) => f.step()));
  assert.ok(openLive(followers) <= places.limit, `${openLive(followers)} live files open for ${places.limit} places`);
  assert.ok(places.held <= places.limit);
}

describe('followers over the open-files limit', () => {
  it('5 files, 2 places: every line of every file read once, at most 2 live files open, across appends', async () => {
    const { paths, followers, places } = setUp(5, 2);
    await stepAll(followers, places);
    for (let round = 1; round <= 4; round++) {
      for (const path of paths) appendFileSync(path, `${path} ${round}\n`);
      await stepAll(followers, places);
    }
    for (const [i, f] of followers.entries())
      assert.deepEqual(
        f.lines,
        [0, 1, 2, 3, 4].map((k) => `${paths[i]} ${k}`),
      );
    assert.deepEqual(
      followers.flatMap((f) => f.warnings),
      [],
    );
  });

  it('a closed file keeps its unterminated line, and goes on when it is completed', async () => {
    const { paths, followers, places } = setUp(3, 1);
    const path = paths[0] as string;
    appendFileSync(path, 'half');
    await stepAll(followers, places);
    assert.equal(followers[0]?.follower.state.current, undefined, 'closed for the others');
    appendFileSync(path, ' and the rest\n');
    await stepAll(followers, places);
    assert.deepEqual(followers[0]?.lines, [`${path} 0`, 'half and the rest']);
  });

  it('rotated while closed (rename + create, copytruncate, rename + compress): the rest from the rotated file, then the new one', async () => {
    const { paths, followers, places } = setUp(4, 1);
    await stepAll(followers, places);
    const [renamed, copied, compressed] = paths as [string, string, string];
    for (const path of [renamed, copied, compressed]) appendFileSync(path, `${path} unread\n`);
    // Rename + create.
    renameSync(renamed, `${renamed}.1`);
    writeFileSync(renamed, `${renamed} new\n`);
    // copytruncate.
    copyFileSync(copied, `${copied}.1`);
    truncateSync(copied, 0);
    appendFileSync(copied, `${copied} new\n`);
    // Rotated and compressed (logrotate's compress without delaycompress) while closed.
    renameSync(compressed, `${compressed}.1`);
    writeFileSync(compressed, `${compressed} new\n`);
    writeFileSync(`${compressed}.1.gz`, gzipSync(readFileSync(`${compressed}.1`)));
    unlinkSync(`${compressed}.1`);
    await stepAll(followers, places);
    for (const path of [renamed, copied, compressed]) {
      const f = followers[paths.indexOf(path)] as StepFollower;
      assert.deepEqual(f.lines, [`${path} 0`, `${path} unread`, `${path} new`], path);
    }
  });

  it('a closed file that has not changed is not opened again (no place taken from the open one)', async () => {
    const { paths, followers, places } = setUp(2, 1);
    await stepAll(followers, places);
    const [closed, open] = followers as [StepFollower, StepFollower];
    assert.equal(closed.follower.state.current, undefined);
    assert.notEqual(open.follower.state.current, undefined);
    await closed.step();
    assert.notEqual(open.follower.state.current, undefined, 'the open file stays open');
    assert.equal(closed.follower.state.current, undefined);
    appendFileSync(paths[0] as string, 'more\n');
    await closed.step();
    assert.equal(open.follower.state.current, undefined, 'a changed one takes the place');
    assert.deepEqual(closed.lines, [`${paths[0]} 0`, 'more']);
  });

  it('deleted while closed: its rest is gone (warned), the new file is read whole', async () => {
    const { paths, followers, places } = setUp(2, 1);
    await stepAll(followers, places);
    const path = paths[0] as string;
    const f = followers[0] as StepFollower;
    assert.equal(f.follower.state.current, undefined);
    unlinkSync(path);
    writeFileSync(path, `${path} new\n`);
    await stepAll(followers, places);
    assert.deepEqual(f.lines, [`${path} 0`, `${path} new`]);
    assert.equal(f.warnings.length, 1);
  });
});
