import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { followLog } from '../src/index.js';
import { changeSignals } from '../src/source/changeSignals.js';

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

test('followLog("/nope/x") warns once over 10 s, not at every poll', async () => {
  const scheduler = new VirtualTimeScheduler(VirtualAction, 0);
  const warnings: string[] = [];
  const sub = followLog('/nope/x', { scheduler, onWarning: (message) => warnings.push(message) }).subscribe();
  // 40 polls of 250 ms, each letting the tailer's step (an fs.stat of the missing path) finish.
  for (let t = 250; t <= 10_000; t += 250) {
    scheduler.maxFrames = t;
    scheduler.flush();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  }
  sub.unsubscribe();
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0] ?? '', /\/nope.*ENOENT/);
});
