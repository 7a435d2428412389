/**
 * One poll timer for every follower on a scheduler (src/source/pollClock.ts): each follower
 * is polled at its own interval, asked again after each poll, while the scheduler holds one
 * action between them (ten thousand followed files held ten thousand timers).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PollClock } from '../../src/source/pollClock.js';
import { ManualScheduler } from '../helpers/manualScheduler.js';

/** A follower that records when it was polled, with the intervals it is given. */
function polled(clock: ManualScheduler, intervals: () => number) {
  const at: number[] = [];
  return { at, target: { poll: () => void at.push(clock.now()), pollInterval: intervals } };
}

describe('PollClock', () => {
  it('polls each follower at its own interval, with one timer armed between them', async () => {
    const scheduler = new ManualScheduler(0);
    const clock = new PollClock(scheduler);
    const a = polled(scheduler, () => 2);
    const b = polled(scheduler, () => 3);
    clock.add(a.target, 2);
    clock.add(b.target, 3);
    const armed: number[] = [];
    for (let t = 0; t < 12; t++) {
      await scheduler.advance(1);
      armed.push(scheduler.pending);
    }
    assert.deepEqual(a.at, [2, 4, 6, 8, 10, 12]);
    assert.deepEqual(b.at, [3, 6, 9, 12]);
    assert.deepEqual(new Set(armed), new Set([1]), 'one action at any time');
  });

  it('asks the interval after each poll; a follower taken off is not polled again, and the last one takes the timer', async () => {
    const scheduler = new ManualScheduler(0);
    const clock = new PollClock(scheduler);
    const intervals = [100, 10];
    const a = polled(scheduler, () => intervals.shift() ?? 10);
    const b = polled(scheduler, () => 5);
    const entryA = clock.add(a.target, 10);
    const entryB = clock.add(b.target, 5);
    await scheduler.advance(130);
    assert.deepEqual(a.at, [10, 110, 120, 130], 'the interval asked after each poll: 100, then 10');
    clock.remove(entryB);
    const polls = b.at.length;
    await scheduler.advance(50);
    assert.equal(b.at.length, polls, 'not polled once taken off');
    assert.equal(scheduler.pending, 1);
    clock.remove(entryA);
    assert.equal(scheduler.pending, 0, 'no timer without followers');
    clock.add(b.target, 1);
    await scheduler.advance(1);
    assert.equal(b.at.length, polls + 1, 'a follower added later is polled');
  });

  it('a follower added with an earlier due time than the armed one is polled on time', async () => {
    const scheduler = new ManualScheduler(0);
    const clock = new PollClock(scheduler);
    const slow = polled(scheduler, () => 1000);
    const fast = polled(scheduler, () => 1000);
    clock.add(slow.target, 1000);
    clock.add(fast.target, 5);
    await scheduler.advance(5);
    assert.deepEqual(fast.at, [5]);
    assert.deepEqual(slow.at, []);
    assert.equal(scheduler.pending, 1);
  });
});
