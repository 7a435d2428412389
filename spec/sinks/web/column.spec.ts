import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_ROWS, Column } from '../../../src/sinks/web/model/column.js';

test('a column reads back every row set, and 0 for rows never set (a status class first seen late)', () => {
  const c = new Column();
  const rows = CHUNK_ROWS * 2 + 17;
  for (let row = 0; row < rows; row++) c.set(row, row * 1.5);
  for (let row = 0; row < rows; row++) assert.equal(c.get(row), row * 1.5);
  assert.equal(c.get(rows), 0);
  assert.equal(c.get(rows + CHUNK_ROWS * 5), 0, 'beyond the chunks');

  const late = new Column();
  late.set(CHUNK_ROWS + 3, 7);
  assert.deepEqual([late.get(0), late.get(CHUNK_ROWS + 2), late.get(CHUNK_ROWS + 3)], [0, 0, 7]);
});

test('a column allocates one chunk per CHUNK_ROWS rows, never more', () => {
  const c = new Column();
  const rows = CHUNK_ROWS * 3 + 1;
  for (let row = 0; row < rows; row++) c.set(row, 1);
  assert.equal(c.chunkCount, Math.ceil(rows / CHUNK_ROWS));
});
