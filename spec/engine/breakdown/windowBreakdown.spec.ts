import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countRecord, createBreakdown, takeWindow, vhostOf } from '../../../src/engine/breakdown/windowBreakdown.js';
import { createWindowing } from '../../../src/core/eventTimeWindowing.js';

test('counts each record under its key in its window, by hits then name; a window is taken once', () => {
  const windowing = createWindowing({ interval: 10_000, lateness: 0 });
  const b = createBreakdown(10_000);
  for (const [t, key] of [
    [1000, 'b.log'],
    [2000, 'a.log'],
    [3000, 'b.log'],
    [12_000, 'a.log'],
  ] as const)
    countRecord(b, windowing, t, key);
  assert.deepEqual(takeWindow(b, 0, 3), [
    { name: 'b.log', hits: 2 },
    { name: 'a.log', hits: 1 },
  ]);
  assert.deepEqual(takeWindow(b, 0, 0), []);
  assert.deepEqual(takeWindow(b, 10_000, 1), [{ name: 'a.log', hits: 1 }]);
});

test('a record whose window the watermark has closed is late: counted nowhere', () => {
  const windowing = createWindowing({ interval: 10_000, lateness: 0 });
  windowing.watermark = 20_000;
  const b = createBreakdown(10_000);
  countRecord(b, windowing, 9_999, 'x');
  countRecord(b, windowing, 10_000, 'y');
  countRecord(b, windowing, 20_000, 'z');
  assert.deepEqual(takeWindow(b, 0, 0), []);
  assert.deepEqual(takeWindow(b, 10_000, 0), []);
  assert.deepEqual(takeWindow(b, 20_000, 1), [{ name: 'z', hits: 1 }]);
});

test('past the cap of distinct names over the run, names fold into other; the hits still add up', () => {
  const windowing = createWindowing({ interval: 10_000, lateness: 0 });
  const b = createBreakdown(10_000, 3);
  for (const key of ['a', 'b', 'b', 'c', 'd', 'e', 'e', 'e']) countRecord(b, windowing, 0, key);
  const first = takeWindow(b, 0, 8);
  assert.deepEqual(first, [
    { name: 'e', hits: 3 },
    { name: 'b', hits: 2 },
    { name: 'a', hits: 1 },
    { name: 'other', hits: 2 },
  ]);
  for (const key of ['d', 'e', 'z']) countRecord(b, windowing, 10_000, key);
  assert.deepEqual(
    takeWindow(b, 10_000, 3),
    [
      { name: 'e', hits: 1 },
      { name: 'other', hits: 2 },
    ],
    'd and z never got a name',
  );
});

test('vhostOf: %v of a vhost_combined line, port dropped; - otherwise', () => {
  assert.equal(vhostOf('shop.example:443 1.2.3.4 - - [01/Jan/2026:00:00:01 +0000] "GET / HTTP/1.1" 200 5'), 'shop.example');
  assert.equal(vhostOf('1.2.3.4 - - [01/Jan/2026:00:00:01 +0000] "GET / HTTP/1.1" 200 5'), '-');
  assert.equal(vhostOf('garbage'), '-');
  assert.equal(vhostOf(`${'a'.repeat(100_000)}:1 x`), '-');
});
