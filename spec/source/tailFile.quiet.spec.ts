/**
 * A quiet watched file says it caught up at each sweep without reading (src/source/tailFile.ts,
 * quietSweep.ts): as of the sweep before, and only while nothing was heard since its last
 * read; a change stops it until a read caught up again. Its behind check answers without a
 * stat while the sweeps are on time, and with one after a stop.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tailBytes, type TailFileOptions } from '../../src/source/tailFile.js';
import { cleanUp } from '../helpers/follow.js';
import { waitFor } from '../helpers/writer.js';
import { tempDir } from '../helpers/tempDir.js';
import { ManualScheduler, settle } from '../helpers/manualScheduler.js';

after(cleanUp);

/**
 * `a\n` in a new file, followed on a manual clock (no poll within the test, a sweep every
 * 100 ms): its lines read so far, each caught-up time, its behind check, and the unsubscription.
 */
function quietFile(options: Pick<TailFileOptions, 'watch'> = {}) {
  const path = join(tempDir(), 'access.log');
  writeFileSync(path, 'a\n');
  const scheduler = new ManualScheduler(0);
  const seen = { lines: 0, caughtUp: [] as number[], behind: undefined as (() => boolean) | undefined };
  const sub = tailBytes(path, {
    ...options,
    scheduler,
    pollInterval: 3_600_000,
    caughtUpEvery: 100,
    onCaughtUp: (t) => void seen.caughtUp.push(t),
    onBehindCheck: (check) => (seen.behind = check),
  }).subscribe((chunk) => void (seen.lines += chunk.view.count));
  return { path, scheduler, seen, stop: () => sub.unsubscribe() };
}

describe('tailFile, a quiet watched file', () => {
  it('is caught up at each sweep, as of the sweep before, without a read; a change holds that until it is read', async () => {
    const { path, scheduler, seen, stop } = quietFile();
    const { caughtUp } = seen;
    try {
      assert.ok(await waitFor(() => seen.lines === 1 && caughtUp.length > 0, 10_000), 'read, then caught up');
      // Reading it may have signalled a change (its atime): let that step run.
      for (let i = 0; i < 10; i++) await scheduler.advance(5);
      const before = caughtUp.length;
      await scheduler.advance(500);
      const swept = caughtUp.slice(before);
      assert.ok(swept.length >= 3, `news at the sweeps: ${JSON.stringify(swept)}`);
      for (let i = 1; i < swept.length; i++) assert.equal((swept[i] as number) - (swept[i - 1] as number), 100, 'as of each sweep before');
      assert.ok((swept.at(-1) as number) <= scheduler.now() - 100, 'never as of now: as of the sweep before');
      appendFileSync(path, 'b\n');
      assert.ok(await waitFor(() => seen.lines === 2, 10_000), 'the change is read at once');
      await settle();
      const afterRead = caughtUp.length;
      await scheduler.advance(300);
      assert.ok(caughtUp.length > afterRead, 'quiet again after the read');
    } finally {
      stop();
    }
  });

  it('without a watch (watch: false), no news between reads', async () => {
    const { scheduler, seen, stop } = quietFile({ watch: false });
    const { caughtUp } = seen;
    try {
      assert.ok(await waitFor(() => seen.lines === 1 && caughtUp.length > 0, 10_000));
      const before = caughtUp.length;
      await scheduler.advance(1000);
      assert.equal(caughtUp.length, before, 'only a read says it caught up');
    } finally {
      stop();
    }
  });

  it('asked whether it is behind: no stat while the sweeps are on time; after a stop, a stat finds what was written', async () => {
    const { path, scheduler, seen, stop } = quietFile();
    try {
      assert.ok(await waitFor(() => seen.lines === 1, 10_000));
      for (let i = 0; i < 10; i++) await scheduler.advance(5);
      await scheduler.advance(300);
      // Written just now, its watch event not read yet (all synchronous): with the sweeps on time, the
      // answer comes without a stat, and the line is read on its event.
      appendFileSync(path, 'b\n');
      assert.equal(seen.behind?.(), false, 'quiet, sweeps on time: no stat (which would find the new line)');
      // Stopped for 10 s: the clock jumps, no timer has run and no event been read yet.
      appendFileSync(path, 'c\n');
      const resumed = scheduler.resumeAfterStop(10_000);
      assert.equal(seen.behind?.(), true, 'the sweeps are late: a stat finds the new lines');
      await resumed;
      assert.ok(await waitFor(() => seen.lines === 3, 10_000));
    } finally {
      stop();
    }
  });
});
