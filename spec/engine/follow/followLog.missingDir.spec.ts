import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualAction, VirtualTimeScheduler, asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { followLog } from '../../../src/index.js';
import { changeSignals } from '../../../src/source/changeSignals.js';

test('change signals: a directory that cannot be watched is warned about once over 40 polls', () => {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 10_000);
  const warnings: string[] = [];
  let signals = 0;
  const sub = changeSignals('/nope/x', { pollInterval: 250, watch: true, scheduler, onWarning: (m) => warnings.push(m) }).subscribe(() => signals++);
  scheduler.flush();
  sub.unsubscribe();
  assert.equal(signals, 40, 'one signal per poll');
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /^watch \/nope: .*ENOENT.*; polling$/);
});

test('followLog("/nope/x") warns once over 20 polls, not at every poll', async () => {
  // The real clock (the tailer's steps are real fs calls between polls); polls are counted by
  // wrapping the scheduler, and the test waits (bounded) for 20 of them, not for a duration.
  const POLL = 7;
  let polls = 0;
  const scheduler: SchedulerLike = {
    now: () => asyncScheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      return asyncScheduler.schedule<T>(function (this: SchedulerAction<T>, s?: T) {
        if (delay === POLL) polls++;
        work.call(this, s);
      }, delay, state);
    },
  };
  const warnings: string[] = [];
  const sub = followLog('/nope/x', { scheduler, pollInterval: POLL, onWarning: (message) => warnings.push(message) }).subscribe();
  try {
    for (let tries = 0; polls < 20 && tries < 1000; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    sub.unsubscribe();
  }
  assert.ok(polls >= 20, `${polls} polls`);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /\/nope.*ENOENT/);
});
