/**
 * The quiet sweep (src/source/quietSweep.ts): one timer per scheduler; each sweep tells every
 * member the time of the sweep before (what the watch saw before then has been read since),
 * at the shortest period asked; `onTime` says whether the sweeps keep their time (a process
 * stopped or starved: not, until the next sweep).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QuietSweep } from '../../src/source/quietSweep.js';
import { ManualScheduler } from '../helpers/manualScheduler.js';

function member() {
  const asOf: number[] = [];
  return { asOf, sweep: (t: number) => void asOf.push(t) };
}

describe('QuietSweep', () => {
  it('tells each member the time of the sweep before, every period, with one timer', async () => {
    const scheduler = new ManualScheduler(0);
    const sweep = new QuietSweep(scheduler);
    const a = member();
    const b = member();
    sweep.add(a, 100);
    sweep.add(b, 100);
    await scheduler.advance(400);
    assert.deepEqual(a.asOf, [100, 200, 300], 'the first sweep only marks its time');
    assert.deepEqual(b.asOf, [100, 200, 300]);
    assert.equal(scheduler.pending, 1);
    sweep.remove(a);
    await scheduler.advance(100);
    assert.deepEqual(a.asOf, [100, 200, 300], 'not swept once removed');
    assert.deepEqual(b.asOf, [100, 200, 300, 400]);
    sweep.remove(b);
    assert.equal(scheduler.pending, 0, 'no timer without members');
  });

  it('runs at the shortest period asked', async () => {
    const scheduler = new ManualScheduler(0);
    const sweep = new QuietSweep(scheduler);
    const slow = member();
    const fast = member();
    sweep.add(slow, 1000);
    sweep.add(fast, 250);
    await scheduler.advance(1000);
    assert.deepEqual(fast.asOf, [250, 500, 750]);
    assert.deepEqual(slow.asOf, [250, 500, 750]);
  });

  it('is on time while it keeps its period; not after a stop, until it has swept again', async () => {
    const scheduler = new ManualScheduler(0);
    const sweep = new QuietSweep(scheduler);
    const a = member();
    sweep.add(a, 100);
    assert.equal(sweep.onTime(scheduler.now()), false, 'not swept yet');
    await scheduler.advance(250);
    assert.equal(sweep.onTime(scheduler.now()), true);
    // Stopped for 10 s: the timer is late; before it runs, the sweeps are not on time.
    assert.equal(sweep.onTime(scheduler.now() + 10_000), false);
    await scheduler.resumeAfterStop(10_000);
    assert.equal(a.asOf.at(-1), 200, 'the late sweep tells the time of the sweep before the stop');
    assert.equal(sweep.onTime(scheduler.now()), true, 'on time again once it swept');
  });
});
