import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rotationNumber, withoutHistory } from '../../src/source/rotatedHistory.js';

test('rotationNumber: <base>.N and <base>.N.gz only', () => {
  assert.equal(rotationNumber('shop.log', 'shop.log.1'), 1);
  assert.equal(rotationNumber('shop.log', 'shop.log.12.gz'), 12);
  for (const name of ['shop.log', 'shop.log.bak', 'shop.log-20240611', 'shop.log.1.bz2', 'shop.logx.1'])
    assert.equal(rotationNumber('shop.log', name), undefined, name);
});

test('withoutHistory leaves out the rotated siblings of a log among the paths (they are its history), nothing else', () => {
  const paths = ['/d/shop.log', '/d/shop.log.1', '/d/shop.log.2.gz', '/d/shop.log.bak', '/d/blog.log.1', '/e/shop.log.1'];
  assert.deepEqual(withoutHistory(paths), ['/d/shop.log', '/d/shop.log.bak', '/d/blog.log.1', '/e/shop.log.1']);
  assert.deepEqual(withoutHistory(['/d/shop.log.1']), ['/d/shop.log.1'], 'a sibling named alone is a log');
  assert.deepEqual(
    withoutHistory(['/d/shop.log.1', '/d/new.log'], ['/d/shop.log']),
    ['/d/new.log'],
    'siblings of logs already named (a later scan)',
  );
});
