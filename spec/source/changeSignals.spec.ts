/**
 * `changeSignals`' poll on a manual clock: every `pollInterval` ms, or, while the folder is
 * watched, every `watchedPollInterval()` ms when that is longer (many followed files: their
 * polls only back the watch up; src/source/tailFile.ts sizes it).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { changeSignals } from '../../src/source/changeSignals.js';
import { ManualScheduler } from '../helpers/manualScheduler.js';
import { removeTempDirs, tempDir } from '../helpers/tempDir.js';

after(() => removeTempDirs());

async function polls(watch: boolean, watchedPollInterval: number): Promise<number> {
  const clock = new ManualScheduler(0);
  let signals = 0;
  const subscription = changeSignals(join(tempDir(), 'access.log'), {
    pollInterval: 250,
    watch,
    scheduler: clock,
    onWarning: () => undefined,
    watchedPollInterval: () => watchedPollInterval,
  }).subscribe(() => signals++);
  await clock.advance(10_000);
  subscription.unsubscribe();
  return signals;
}

describe('changeSignals polls', () => {
  it('every pollInterval unwatched, every watchedPollInterval while watched', async () => {
    assert.equal(await polls(false, 2500), 40);
    assert.equal(await polls(true, 2500), 4);
    assert.equal(await polls(true, 100), 40, 'never more often than pollInterval');
  });
});
