import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineStore } from '../../../src/sinks/web/model/lineStore.js';

test('a line store gives back every line in order: non-ASCII text, empty lines, lines longer than a block', () => {
  const lines = [
    '{"type":"stats","sections":[{"name":"/caf\u00e9","hits":1}]}',
    '',
    'bidi \u202e and an emoji \u{1F600} and a lone surrogate-free CJK \u6f22\u5b57',
    'x'.repeat(200_000),
    ...Array.from({ length: 3000 }, (_, i) => `{"n":${i},"s":"${'\u00e9'.repeat(i % 50)}"}`),
    'after the big ones',
  ];
  const store = new LineStore();
  for (const line of lines) store.push(line);
  assert.equal(store.length, lines.length);
  assert.deepEqual(store.lines(), lines);
});
