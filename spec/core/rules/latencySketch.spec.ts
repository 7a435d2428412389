import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SKETCH_ALPHA, addDuration, createSketch, mergeSketch, quantileOf } from '../../../src/core/rules/latencySketch.js';
import { Random } from '../../../bench/prng.js';

/** The q-quantile from its definition: the value of rank floor(q (n - 1)) in ascending order. */
const exact = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] as number;

test('quantiles within the stated relative error, on spread-out durations', () => {
  const rng = new Random(7);
  const random = (): number => rng.next();
  for (const n of [1, 2, 10, 999, 5000]) {
    const values = Array.from({ length: n }, () => Math.exp(random() * 12 - 9)); // 0.1 ms .. 20 s
    const sketch = createSketch();
    for (const v of values) addDuration(sketch, v);
    for (const q of [0, 0.5, 0.9, 0.95, 0.99, 1]) {
      const want = exact(values, q);
      const got = quantileOf(sketch, q);
      assert.ok(Math.abs(got - want) <= SKETCH_ALPHA * want + 1e-12, `n=${n} q=${q}: ${got} vs ${want}`);
    }
  }
});

test('merging then removing gives back the sketch (a sliding window), zeros counted apart', () => {
  const a = createSketch(),
    b = createSketch(),
    sum = createSketch();
  for (const v of [0, 0.001, 0.2, 0.2, 3]) addDuration(a, v);
  for (const v of [0.05, 7]) addDuration(b, v);
  mergeSketch(sum, a);
  mergeSketch(sum, b);
  assert.equal(sum.count, 7);
  assert.equal(quantileOf(sum, 0), 0);
  mergeSketch(sum, a, -1);
  assert.deepEqual(sum, b);
  assert.ok(Number.isNaN(quantileOf(createSketch(), 0.5)));
});
