import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveInterval } from '../../src/cli/liveInterval.js';
import { EARLY_WARNING_AFTER, InvalidLines } from '../../src/cli/invalidReport.js';

test('liveInterval: nothing before the first progress; then the open interval, idle counted from the last arrival only', () => {
  let now = 1000;
  const live = liveInterval(() => now);
  assert.equal(live.peek(), undefined);
  live.onProgress({ arrival: true, lines: 3, open: undefined, newest: undefined });
  assert.deepEqual(live.peek(), { idle: 0 }, 'lines, but no request yet');
  now = 2000;
  live.onProgress({ arrival: true, lines: 5, open: { start: 10_000, hits: 2 }, newest: 10_500 });
  now = 2500;
  assert.deepEqual(live.peek(), { open: { start: 10_000, hits: 2 }, idle: 500 });
  // The interval closed by the clock: no open interval, and the idle time does not restart.
  now = 4000;
  live.onProgress({ arrival: false, lines: 7, open: undefined, newest: 10_500 });
  assert.deepEqual(live.peek(), { idle: 2000 });
});

test('InvalidLines: the early warning waits for the lines that came with the 100th invalid one, and is said once', () => {
  const said: string[] = [];
  const invalid = new InvalidLines(0, (m) => said.push(m), { source: 'access.log', format: 'auto' });
  for (let i = 0; i < EARLY_WARNING_AFTER + 5; i++) invalid.onInvalid({ type: 'invalid', line: `junk ${i}`, reason: 'no_match' });
  assert.deepEqual(said, [], 'not while the batch is still going through the engine');
  invalid.afterArrival(false);
  invalid.afterArrival(false);
  assert.equal(said.length, 1);
  assert.match(
    said[0] ?? '',
    /^the first 100 lines of access\.log are all invalid with --format auto \(still following\); the first \(.*\): junk 0$/,
  );

  const quiet: string[] = [];
  const parsed = new InvalidLines(0, (m) => quiet.push(m), { source: 'access.log', format: 'auto' });
  for (let i = 0; i < EARLY_WARNING_AFTER; i++) parsed.onInvalid({ type: 'invalid', line: `junk ${i}`, reason: 'no_match' });
  parsed.afterArrival(true);
  assert.deepEqual(quiet, [], 'a request came with them: no warning');
});
