import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defined } from '../../src/core/defined.js';

test('defined keeps the properties that are not undefined, falsy ones included', () => {
  const result = defined({ a: 1, b: undefined, c: 0, d: '', e: null, f: false });
  assert.deepEqual(result, { a: 1, c: 0, d: '', e: null, f: false });
  assert.ok(!('b' in result));
});
