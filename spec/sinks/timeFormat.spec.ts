import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isoTime } from '../../src/sinks/timeFormat.js';

/** What `isoTime` must give: `toISOString`, without `.000`. */
const reference = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

test('isoTime: the ISO 8601 UTC time of toISOString without .000, for whole seconds (cached date) and any other time', () => {
  const max = 8.64e15;
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ min: -8.64e12, max: 8.64e12 }).map((s) => s * 1000),
        fc.integer({ min: -max, max }),
        fc.constantFrom(0, 999, 1000, 86_399_000, 86_400_000, -1000, 253_402_300_799_000, 253_402_300_800_000),
      ),
      (ms) => {
        assert.equal(isoTime(ms), reference(ms), String(ms));
      },
    ),
    { numRuns: 20_000 },
  );
  // Day after day and back (the cache follows).
  for (const ms of [Date.UTC(2026, 0, 1, 23, 59, 50), Date.UTC(2026, 0, 2), Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 0, 2, 0, 0, 10)])
    assert.equal(isoTime(ms), reference(ms));
});
