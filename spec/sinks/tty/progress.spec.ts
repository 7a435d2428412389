import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualTimeScheduler } from 'rxjs';
import { createProgress, formatProgress } from '../../../src/sinks/tty/index.js';
import { clock } from '../../../src/sinks/tty/progressFormat.js';

test('formatProgress: bar, percent, MB/s, ETA and amounts', () => {
  assert.equal(
    formatProgress({ bytesRead: 50e6, total: 100e6, elapsed: 4000, width: 100 }),
    'catching up [███████████████░░░░░░░░░░░░░░░]   50%  12.5 MB/s  ETA 0:04  50.0/100.0 MB',
  );
  assert.equal(
    formatProgress({ bytesRead: 0, total: 100e6, elapsed: 0, width: 100 }),
    'catching up [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░]    0%  – MB/s  ETA --:--  0.0/100.0 MB',
  );
  assert.ok(formatProgress({ bytesRead: 200, total: 100, elapsed: 1000, width: 100 }).includes(']  100%  0.0 MB/s  ETA 0:00'), 'clamped');
  assert.ok(formatProgress({ bytesRead: 0, total: 0, elapsed: 1000, width: 100 }).includes('100%'), 'nothing to read is done');
});

test('formatProgress stays one column short of the width, shrinking the bar, then dropping it', () => {
  for (let width = 1; width <= 120; width++) {
    const line = formatProgress({ bytesRead: 3e6, total: 7e6, elapsed: 1500, width });
    assert.ok([...line].length <= width - 1 || (width === 1 && line === ''), `${width}: ${line}`);
  }
  assert.equal(formatProgress({ bytesRead: 3e6, total: 7e6, elapsed: 1500, width: 40 }), '42% 2.0 MB/s ETA 0:02');
});

test('clock', () => {
  assert.equal(clock(0), '0:00');
  assert.equal(clock(65), '1:05');
  assert.equal(clock(3725), '1:02:05');
  assert.equal(clock(0.2), '0:01', 'rounded up');
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (c: string) => writes.push(c) > 0 } };
}

test('createProgress redraws with \\r at most ten times a second and clears on done', () => {
  const scheduler = new VirtualTimeScheduler();
  const { stream, writes } = fakeStream(true);
  const progress = createProgress({ stream, total: 10e6, scheduler });
  progress.update(1e6);
  assert.equal(writes.length, 1);
  assert.match(writes[0] ?? '', /^\rcatching up \[.*\] +10% .*\x1b\[K$/);
  for (let i = 2; i <= 5; i++) progress.update(i * 1e6);
  assert.equal(writes.length, 1, 'throttled');
  scheduler.maxFrames = 100;
  scheduler.flush();
  assert.equal(writes.length, 2);
  assert.match(writes[1] ?? '', / 50% {2}50\.0 MB\/s {2}ETA 0:01 /, '5 MB in 100 ms');
  progress.done();
  assert.equal(writes.at(-1), '\r\x1b[K');
  progress.update(9e6);
  progress.done();
  assert.equal(writes.length, 3, 'nothing after done');
  assert.equal(scheduler.actions.length, 0);
});

test('createProgress does nothing when the stream is not a terminal', () => {
  const { stream, writes } = fakeStream(false);
  const progress = createProgress({ stream, total: 10, scheduler: new VirtualTimeScheduler() });
  progress.update(5);
  progress.done();
  assert.deepEqual(writes, []);
});
