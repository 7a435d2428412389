/**
 * Many tailers in one process (issue 20: ten thousand followed files): they share one poll
 * timer per scheduler (src/source/pollClock.ts), and a poll that comes while a follower's
 * first step waits its turn (`followStarts`: a few hundred start at once) is not a change:
 * the watch stays open (each one closed and polled every `pollInterval` had made tens of
 * thousands of polls and unwatch/rewatch cycles before the first interval).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { follow, cleanUp } from '../helpers/follow.js';
import { waitFor } from '../helpers/writer.js';
import { sleep } from '../helpers/sleep.js';
import { tempDir } from '../helpers/tempDir.js';
import { ManualScheduler } from '../helpers/manualScheduler.js';
import { FOLLOW_STARTS, followStarts } from '../../src/source/openFiles.js';
import { watchedDirs } from '../../src/source/dirWatch.js';

after(cleanUp);

describe('many tailers', () => {
  it('two hundred followed files on one scheduler: one poll timer between them, each file read', async () => {
    const dir = tempDir();
    const scheduler = new ManualScheduler(0);
    const followed = Array.from({ length: 200 }, (_, i) => {
      const path = join(dir, `f${i}.log`);
      writeFileSync(path, `${i} line\n`);
      return follow(path, { scheduler, pollInterval: 250 });
    });
    assert.ok(await waitFor(() => followed.every((f) => f.lines.length === 1), 20_000), 'every file read');
    // Reading a file can signal a change (its atime): those steps wait for their wake interval.
    for (let i = 0; i < 1000 && scheduler.pending !== 1; i++) {
      await scheduler.advance(5);
      await sleep(10);
    }
    assert.equal(scheduler.pending, 1, 'one timer armed for 200 followers');
    await scheduler.advance(1000);
    assert.equal(scheduler.pending, 1, 'still one after their polls');
    for (const f of followed) f.stop();
    assert.equal(scheduler.pending, 0, 'none once they stopped');
    assert.deepEqual(
      followed.map((f) => f.lines[0]),
      followed.map((_, i) => `${i} line`),
    );
  });

  it('polls while its first step waits for a place do not close the watch', async () => {
    const dir = tempDir();
    const path = join(dir, 'access.log');
    writeFileSync(path, 'a\n');
    const starts = followStarts();
    for (let i = 0; i < FOLLOW_STARTS; i++) await starts.acquire();
    const watched = watchedDirs();
    const scheduler = new ManualScheduler(0);
    const f = follow(path, { scheduler, pollInterval: 100 });
    try {
      assert.equal(watchedDirs(), watched + 1, 'watched from the start');
      await scheduler.advance(1000); // ten polls, the first step still waiting for a place
      assert.equal(f.lines.length, 0, 'not read yet: every place is taken');
      assert.equal(watchedDirs(), watched + 1, 'the polls did not close the watch');
    } finally {
      for (let i = 0; i < FOLLOW_STARTS; i++) starts.release();
    }
    assert.ok(await waitFor(() => f.lines.length === 1, 10_000), 'read once a place is free');
    f.stop();
  });
});
