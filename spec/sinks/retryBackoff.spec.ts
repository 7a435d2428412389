import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../src/sinks/retryBackoff.js';

test('backoffDelay without jitter doubles from the first delay up to the cap', () => {
  const none = (): number => 0;
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, 250, 30_000, none)),
    [250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000],
  );
  assert.equal(backoffDelay(1000, 250, 30_000, none), 30_000, 'a long outage stays at the cap (no overflow)');
  assert.equal(backoffDelay(0, 250, 30_000, none), 250);
});

test('backoffDelay with jitter: shortened by up to half, by the random source', () => {
  assert.equal(
    backoffDelay(3, 1000, 30_000, () => 0.5),
    3000,
  );
  assert.equal(
    backoffDelay(3, 1000, 30_000, () => 0.999_999),
    2000.002,
  );
  assert.equal(
    backoffDelay(9, 1000, 30_000, () => 0.5),
    22_500,
    'the cap is jittered too',
  );
  // Two instances cut off by one outage do not retry in step.
  const seeds = [0.1, 0.7];
  const delays = seeds.map((r) => backoffDelay(4, 1000, 30_000, () => r));
  assert.notEqual(delays[0], delays[1]);
  for (let i = 0; i < 1000; i++) {
    const d = backoffDelay(5, 1000, 30_000);
    assert.ok(d > 8000 && d <= 16_000, String(d));
  }
});
