import { test } from 'node:test';
import assert from 'node:assert/strict';
import { of } from 'rxjs';
import { parseAccessLog } from '../../operators/parseAccessLog.js';
import { toRecords } from '../../operators/toRecords.js';
import { LogFormatError } from '../../src/errors.js';
import type { ParsedLine } from '../../src/types.js';
import { newScheduler } from '../helpers/testScheduler.js';

const LINE = '::1 - - [10/Oct/2000:13:55:36 -0700] "GET /api/user HTTP/1.1" 200 512';
const RECORD: ParsedLine = {
  type: 'record',
  time: Date.UTC(2000, 9, 10, 20, 55, 36),
  host: '::1',
  section: '/api',
  status: 200,
  bytes: 512,
  method: 'GET',
  path: '/api/user',
};
const BAD: ParsedLine = { type: 'invalid', line: 'garbage', reason: 'no_match' };

test('parses each line; blank lines emit nothing; an invalid line is a value, not an error', () => {
  newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const lines = { a: LINE, b: '', w: ' \t ', r: '\r', g: 'garbage', c: `${LINE}\r` };
    const source = cold(' -a-b-w-r-g-c-|', lines);
    const expected = '   -a-------g-a-|';
    expectObservable(source.pipe(parseAccessLog(), toRecords())).toBe(expected, { a: RECORD, g: BAD });
    expectSubscriptions(source.subscriptions).toBe('^------------!');
  });
});

test('empty completes, never stays silent', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    expectObservable(cold('|').pipe(parseAccessLog(), toRecords())).toBe('|');
    expectObservable(cold('-').pipe(parseAccessLog(), toRecords())).toBe('-');
    expectObservable(cold('--b--|', { b: '   ' }).pipe(parseAccessLog(), toRecords())).toBe('-----|');
  });
});

test('errors pass through unchanged, after the values before them', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const failure = new Error('read failed');
    expectObservable(cold('-a-#', { a: LINE }, failure).pipe(parseAccessLog(), toRecords())).toBe('-a-#', { a: RECORD }, failure);
  });
});

test('unsubscribing early unsubscribes from the source', () => {
  newScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
    const source = hot('  -a--a--a--|', { a: LINE });
    const unsub = '       ^----!';
    const expected = '    -a--a-';
    expectObservable(source.pipe(parseAccessLog(), toRecords()), unsub).toBe(expected, { a: RECORD });
    expectSubscriptions(source.subscriptions).toBe('^----!');
  });
});

test('the format option is used, and a bad format throws when the pipeline is built', () => {
  const out: ParsedLine[] = [];
  of(`${LINE} "-" "curl"`, LINE)
    .pipe(parseAccessLog({ format: 'combined' }), toRecords())
    .subscribe((p) => out.push(p));
  assert.deepEqual(
    out.map((p) => p.type),
    ['record', 'invalid'],
  );
  assert.throws(() => parseAccessLog({ format: '%h %Q' }), LogFormatError);
  assert.throws(() => parseAccessLog({ format: 'nope' }), LogFormatError);
  assert.doesNotThrow(() => parseAccessLog({ format: undefined }));
});

test('each subscription parses independently (the operator is reusable)', () => {
  const operator = parseAccessLog();
  const first: string[] = [];
  const second: string[] = [];
  of(LINE, 'x')
    .pipe(operator, toRecords())
    .subscribe((p) => first.push(p.type));
  of('x', LINE)
    .pipe(operator, toRecords())
    .subscribe((p) => second.push(p.type));
  assert.deepEqual(
    [first, second],
    [
      ['record', 'invalid'],
      ['invalid', 'record'],
    ],
  );
});
