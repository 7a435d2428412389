/** stepPacer: when a follower steps, on virtual time, with steps the test ends itself. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stepPacer } from '../../src/source/stepPacer.js';
import { ManualScheduler, settle } from '../helpers/manualScheduler.js';

/** A pacer whose steps record their start time and end when the test says so. */
function paced(interval: number) {
  const scheduler = new ManualScheduler(1000);
  const starts: number[] = [];
  const ends: (() => void)[] = [];
  const pacer = stepPacer(
    () => {
      starts.push(scheduler.now());
      return new Promise<void>((resolve) => ends.push(resolve));
    },
    interval,
    scheduler,
    (err) => assert.fail(String(err)),
  );
  const endStep = async (): Promise<void> => {
    const end = ends.shift();
    assert.ok(end !== undefined, 'a step is running');
    end();
    await settle();
  };
  return { scheduler, starts, pacer, endStep };
}

describe('stepPacer', () => {
  it('steps at once on a signal when no step started within the interval', async () => {
    const { pacer, starts, endStep, scheduler } = paced(5);
    pacer.signal();
    assert.deepEqual(starts, [1000]);
    await endStep();
    await scheduler.advance(20);
    pacer.signal();
    assert.deepEqual(starts, [1000, 1020], 'an isolated change is read at once');
  });

  it('coalesces N signals within the interval into one step, run when the interval is up', async () => {
    const { pacer, starts, endStep, scheduler } = paced(5);
    pacer.signal();
    await endStep();
    await scheduler.advance(1);
    for (let i = 0; i < 50; i++) pacer.signal(); // 50 writes, one fs.watch event each
    assert.deepEqual(starts, [1000], 'no step before the interval is up');
    await scheduler.advance(3);
    assert.deepEqual(starts, [1000]);
    await scheduler.advance(1);
    assert.deepEqual(starts, [1000, 1005], 'one step for the 50 signals, 5 ms after the last start');
    await endStep();
    await scheduler.advance(100);
    assert.equal(starts.length, 2, 'nothing more without a signal');
  });

  it('a signal during a step asks for one more, at most one per interval; steps never overlap', async () => {
    const { pacer, starts, endStep, scheduler } = paced(5);
    pacer.signal();
    await scheduler.advance(2);
    pacer.signal();
    pacer.signal();
    assert.equal(starts.length, 1, 'no second step while one runs');
    await scheduler.advance(1);
    await endStep(); // ends at 1003: the next may start at 1005
    assert.equal(starts.length, 1);
    await scheduler.advance(2);
    assert.deepEqual(starts, [1000, 1005]);
    await scheduler.advance(10); // a step slower than the interval
    pacer.signal();
    await endStep();
    assert.deepEqual(starts, [1000, 1005, 1015], 'a step that took longer than the interval: the next at once');
  });

  it('with interval 0, steps on every signal, one at a time', async () => {
    const { pacer, starts, endStep } = paced(0);
    pacer.signal();
    pacer.signal();
    pacer.signal();
    assert.equal(starts.length, 1);
    await endStep();
    assert.equal(starts.length, 2, 'the signals during the step made one more');
    await endStep();
    assert.equal(starts.length, 2);
  });

  it('stop cancels a waiting step; no step after it', async () => {
    const { pacer, starts, endStep, scheduler } = paced(5);
    pacer.signal();
    await endStep();
    pacer.signal();
    assert.equal(scheduler.pending, 1, 'a step waits for its time');
    pacer.stop();
    assert.equal(scheduler.pending, 0, 'its timer is cancelled');
    await scheduler.advance(50);
    pacer.signal();
    assert.deepEqual(starts, [1000]);
  });
});
