import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { showSpread, spread } from '../../bench/rounds.js';

describe('bench rounds', () => {
  it('gives the min, median and max whatever the order of the rounds', () => {
    assert.deepEqual(spread([5, 1, 3]), { min: 1, median: 3, max: 5, rounds: 3 });
    assert.deepEqual(spread([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4, rounds: 4 });
    assert.throws(() => spread([]));
  });

  it('shows the median with its range, or the one value of a single round', () => {
    assert.equal(showSpread(spread([1250, 980, 1100]), 2, 1 / 1000), '1.10 (0.98–1.25)');
    assert.equal(showSpread(spread([70]), 0), '70');
  });
});
