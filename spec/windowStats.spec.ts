import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import { windowStats } from '../operators/windowStats.js';
import { MonitorOptionsError } from '../src/errors.js';
import { summarizeWindow, topSections } from '../src/core/windowSummary.js';
import type { InvalidLine, StatsEvent, WindowOutput } from '../src/types.js';
import { bad, rec } from './helpers/records.js';

const newScheduler = (): TestScheduler => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

test('summarizeWindow counts hits, bytes, distinct hosts, status classes and top sections', () => {
  const records = [
    rec(1, { host: 'a', section: '/api', status: 200, bytes: 10 }),
    rec(2, { host: 'b', section: '/api', status: 404, bytes: 0 }),
    rec(3, { host: 'a', section: '/static', status: 200, bytes: 5 }),
    rec(4, { host: '::1', section: '/report', status: 503, bytes: 1 }),
    rec(5, { host: 'c', section: '/static', status: 301, bytes: 4 }),
  ];
  const stats = summarizeWindow({ start: 0, end: 10_000, records, top: 2, invalid: 1, late: 2 });
  assert.deepEqual(stats, {
    type: 'stats',
    start: 0,
    end: 10_000,
    hits: 5,
    bytes: 20,
    hosts: 4,
    sections: [
      { name: '/api', hits: 2 },
      { name: '/static', hits: 2 },
    ],
    status: { '2xx': 2, '3xx': 1, '4xx': 1, '5xx': 1 },
    invalid: 1,
    late: 2,
  });
});

test('topSections orders by hits descending, then name ascending, and cuts at n', () => {
  const counts = new Map([['/b', 3], ['/a', 3], ['/c', 9], ['/d', 1]]);
  assert.deepEqual(topSections(counts, 3).map((s) => s.name), ['/c', '/a', '/b']);
  assert.deepEqual(topSections(counts, 0), []);
});

test('an empty window has zero everything', () => {
  const stats = summarizeWindow({ start: 10_000, end: 20_000, records: [], top: 5, invalid: 0, late: 0 });
  assert.equal(stats.hits, 0);
  assert.equal(stats.hosts, 0);
  assert.deepEqual(stats.sections, []);
  assert.deepEqual(stats.status, {});
});

test('windowStats attributes invalid and late lines to the next stats event', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const r = rec(1);
    const w0: WindowOutput = { type: 'window', start: 0, end: 10_000, records: [r] };
    const w1: WindowOutput = { type: 'window', start: 10_000, end: 20_000, records: [] };
    const late: WindowOutput = { type: 'late', record: rec(2), watermark: 15_000 };
    const source = cold<WindowOutput>('iaLb|', { i: bad(), a: w0, L: late, b: w1 });
    const s0: StatsEvent = summarizeWindow({ start: 0, end: 10_000, records: [r], top: 5, invalid: 1, late: 0, invalidReasons: { no_match: 1 } });
    const s1: StatsEvent = summarizeWindow({ start: 10_000, end: 20_000, records: [], top: 5, invalid: 0, late: 1 });
    expectObservable(source.pipe(windowStats())).toBe('-x-y|', { x: s0, y: s1 });
  });
});

test('windowStats counts invalid lines by reason, in a fixed order, per stats event', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const w0: WindowOutput = { type: 'window', start: 0, end: 10_000, records: [] };
    const w1: WindowOutput = { type: 'window', start: 10_000, end: 20_000, records: [] };
    const future: InvalidLine = { type: 'invalid', line: 'x', reason: 'future_time' };
    const badTime: InvalidLine = { type: 'invalid', line: 'y', reason: 'bad_time' };
    const source = cold<WindowOutput>('fibia-ba|', { f: future, i: bad(), b: badTime, a: w0, c: w1 });
    expectObservable(source.pipe(windowStats())).toBe('----x--y|', {
      x: { ...summarizeWindow({ start: 0, end: 10_000, records: [], top: 5, invalid: 4, late: 0 }), invalidReasons: { no_match: 2, bad_time: 1, future_time: 1 } },
      y: { ...summarizeWindow({ start: 0, end: 10_000, records: [], top: 5, invalid: 1, late: 0 }), invalidReasons: { bad_time: 1 } },
    });
  });
  const keys = Object.keys(summarizeWindow({ start: 0, end: 1, records: [], top: 5, invalid: 3, late: 0, invalidReasons: { overlong: 1, no_match: 2 } }).invalidReasons ?? {});
  assert.deepEqual(keys, ['no_match', 'overlong']);
});

test('windowStats: empty, never, error and unsubscribe', () => {
  newScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
    expectObservable(cold<WindowOutput>('|').pipe(windowStats())).toBe('|');
    expectObservable(cold<WindowOutput>('-').pipe(windowStats())).toBe('-');
    expectObservable(cold<WindowOutput>('i#', { i: bad() }).pipe(windowStats())).toBe('-#');
    const source = hot<WindowOutput>('a--a--|', { a: { type: 'window', start: 0, end: 10_000, records: [] } });
    const s = summarizeWindow({ start: 0, end: 10_000, records: [], top: 5, invalid: 0, late: 0 });
    expectObservable(source.pipe(windowStats()), '^--!').toBe('x--', { x: s });
    expectSubscriptions(source.subscriptions).toBe('^--!');
  });
});

test('windowStats rejects a bad top', () => {
  assert.throws(() => windowStats({ top: -1 }), MonitorOptionsError);
  assert.throws(() => windowStats({ top: 1.5 }), MonitorOptionsError);
});
