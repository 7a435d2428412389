import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualAction, VirtualTimeScheduler, asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { FileError, followLog } from '../../../src/index.js';
import { changeSignals } from '../../../src/source/changeSignals.js';

test('change signals: a directory that cannot be watched is warned about once over 40 polls', () => {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 10_000);
  const warnings: string[] = [];
  let signals = 0;
  const sub = changeSignals('/nope/x', { pollInterval: 250, watch: true, scheduler, onWarning: (m) => warnings.push(m) }).subscribe(
    () => signals++,
  );
  scheduler.flush();
  sub.unsubscribe();
  assert.equal(signals, 40, 'one signal per poll');
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /^watch \/nope: .*ENOENT.*; polling$/);
});

test('followLog("/nope/x"): a file whose folder does not exist is a FileError at once (as the CLI refuses it), not a poll for ever', async () => {
  const warnings: string[] = [];
  let polls = 0;
  const scheduler: SchedulerLike = {
    now: () => asyncScheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      polls++;
      return asyncScheduler.schedule<T>(work, delay, state);
    },
  };
  const err = await new Promise<unknown>((resolve) => {
    followLog('/nope/x', { scheduler, pollInterval: 7, onWarning: (message) => warnings.push(message) }).subscribe({
      error: resolve,
      complete: () => resolve(undefined),
    });
  });
  assert.ok(err instanceof FileError, String(err));
  assert.equal(err.code, 'ENOENT');
  assert.equal(err.path, '/nope');
  assert.equal(err.message, 'cannot read /nope: no such file');
  assert.deepEqual(warnings, []);
  assert.equal(polls, 0, 'no tailer started');
});
