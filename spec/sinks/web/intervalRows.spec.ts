import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_ROWS } from '../../../src/sinks/web/model/column.js';
import { IntervalRows } from '../../../src/sinks/web/model/intervalRows.js';

test('interval rows read back every figure of every row, across chunks', () => {
  const rows = new IntervalRows();
  const n = CHUNK_ROWS * 2 + 5;
  for (let i = 0; i < n; i++) assert.equal(rows.append(i * 10_000, (i + 1) * 10_000, i, i * 100, i % 7, i % 3, i % 5, i / 8), i);
  assert.equal(rows.rows, n);
  for (const i of [0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, 2 * CHUNK_ROWS + 4]) {
    const c = rows.chunkOf(i);
    const at = i % CHUNK_ROWS;
    assert.deepEqual(
      [c.start[at], c.end[at], c.hits[at], c.bytes[at], c.clients[at], c.invalid[at], c.late[at], c.rate[at]],
      [i * 10_000, (i + 1) * 10_000, i, i * 100, i % 7, i % 3, i % 5, i / 8],
    );
  }
});
