import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowStats } from '../../operators/windowStats.js';
import { MonitorOptionsError } from '../../src/errors.js';
import { summarizeWindow, topSections } from '../../src/core/windowSummary.js';
import { WindowAggregate, closedWindow, foldIds, foldNames } from '../../src/core/windowAggregate.js';
import type { AccessRecord, ClosedWindow, InvalidLine, StatsEvent, WindowOutput } from '../../src/types.js';
import { bad, rec, windowOf } from '../helpers/records.js';
import { newScheduler } from '../helpers/testScheduler.js';

/** The engine's aggregate of `records` (by name), closed. */
function aggregated(start: number, end: number, records: readonly AccessRecord[]): ClosedWindow {
  const agg = new WindowAggregate();
  for (const r of records) foldNames(agg, r.host, r.section, r.status, r.bytes);
  return closedWindow(start, end, records.length === 0 ? undefined : agg, 0);
}

test('summarizeWindow counts hits, bytes, distinct hosts, status classes and top sections', () => {
  const records = [
    rec(1, { host: 'a', section: '/api', status: 200, bytes: 10 }),
    rec(2, { host: 'b', section: '/api', status: 404, bytes: 0 }),
    rec(3, { host: 'a', section: '/static', status: 200, bytes: 5 }),
    rec(4, { host: '::1', section: '/report', status: 503, bytes: 1 }),
    rec(5, { host: 'c', section: '/static', status: 301, bytes: 4 }),
  ];
  const stats = summarizeWindow(aggregated(0, 10_000, records), { top: 2, invalid: 1, late: 2 });
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
  const counts = new Map([
    ['/b', 3],
    ['/a', 3],
    ['/c', 9],
    ['/d', 1],
  ]);
  assert.deepEqual(
    topSections(counts, 3).map((s) => s.name),
    ['/c', '/a', '/b'],
  );
  assert.deepEqual(topSections(counts, 0), []);
});

test('an empty window has zero everything', () => {
  const stats = summarizeWindow(aggregated(10_000, 20_000, []), { top: 5, invalid: 0, late: 0 });
  assert.equal(stats.hits, 0);
  assert.equal(stats.hosts, 0);
  assert.deepEqual(stats.sections, []);
  assert.deepEqual(stats.status, {});
});

test('windowStats attributes invalid and late lines to the next stats event', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const r = rec(1);
    const w0: WindowOutput = windowOf(0, 10_000, [r]);
    const w1: WindowOutput = windowOf(10_000, 20_000, []);
    const late: WindowOutput = { type: 'late', record: rec(2), watermark: 15_000 };
    const source = cold<WindowOutput>('iaLb|', { i: bad(), a: w0, L: late, b: w1 });
    const s0: StatsEvent = {
      type: 'stats',
      start: 0,
      end: 10_000,
      hits: 1,
      bytes: 100,
      hosts: 1,
      sections: [{ name: '/', hits: 1 }],
      status: { '2xx': 1 },
      invalid: 1,
      late: 0,
      invalidReasons: { no_match: 1 },
    };
    const s1: StatsEvent = {
      type: 'stats',
      start: 10_000,
      end: 20_000,
      hits: 0,
      bytes: 0,
      hosts: 0,
      sections: [],
      status: {},
      invalid: 0,
      late: 1,
    };
    expectObservable(source.pipe(windowStats())).toBe('-x-y|', { x: s0, y: s1 });
  });
});

test('windowStats counts invalid lines by reason, in a fixed order, per stats event', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const w0: WindowOutput = windowOf(0, 10_000, []);
    const w1: WindowOutput = windowOf(10_000, 20_000, []);
    const future: InvalidLine = { type: 'invalid', line: 'x', reason: 'future_time' };
    const badTime: InvalidLine = { type: 'invalid', line: 'y', reason: 'bad_time' };
    const source = cold<WindowOutput>('fibia-ba|', { f: future, i: bad(), b: badTime, a: w0, c: w1 });
    expectObservable(source.pipe(windowStats())).toBe('----x--y|', {
      x: {
        ...summarizeWindow(w0 as ClosedWindow, { top: 5, invalid: 4, late: 0 }),
        invalidReasons: { no_match: 2, bad_time: 1, future_time: 1 },
      },
      y: { ...summarizeWindow(w0 as ClosedWindow, { top: 5, invalid: 1, late: 0 }), invalidReasons: { bad_time: 1 } },
    });
  });
  const keys = Object.keys(
    summarizeWindow(windowOf(0, 1, []), { top: 5, invalid: 3, late: 0, invalidReasons: { overlong: 1, no_match: 2 } }).invalidReasons ?? {},
  );
  assert.deepEqual(keys, ['no_match', 'overlong']);
});

test('windowStats: empty, never, error and unsubscribe', () => {
  newScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
    expectObservable(cold<WindowOutput>('|').pipe(windowStats())).toBe('|');
    expectObservable(cold<WindowOutput>('-').pipe(windowStats())).toBe('-');
    expectObservable(cold<WindowOutput>('i#', { i: bad() }).pipe(windowStats())).toBe('-#');
    const source = hot<WindowOutput>('a--a--|', { a: windowOf(0, 10_000, []) });
    const s: StatsEvent = {
      type: 'stats',
      start: 0,
      end: 10_000,
      hits: 0,
      bytes: 0,
      hosts: 0,
      sections: [],
      status: {},
      invalid: 0,
      late: 0,
    };
    expectObservable(source.pipe(windowStats()), '^--!').toBe('x--', { x: s });
    expectSubscriptions(source.subscriptions).toBe('^--!');
  });
});

test('windowStats rejects a bad top', () => {
  assert.throws(() => windowStats({ top: -1 }), MonitorOptionsError);
  assert.throws(() => windowStats({ top: 1.5 }), MonitorOptionsError);
});

test('window aggregate: ids of several dictionaries and names, counted exactly (property)', () => {
  // Random lines, each folded by name or as an id of one of a few dictionaries (as after
  // intern-table generations): the closed window equals the spec's own aggregate of the records.
  let seed = 7;
  const random = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  for (let run = 0; run < 200; run++) {
    const dicts: string[][] = [[], [], []];
    const records: AccessRecord[] = [];
    const agg = new WindowAggregate();
    const lines = 1 + random(60);
    for (let k = 0; k < lines; k++) {
      const r = rec(1, { host: `h${random(12)}`, section: `/s${random(9)}`, status: 100 + random(900), bytes: random(1000) });
      records.push(r);
      const how = random(4);
      if (how === 3) {
        foldNames(agg, r.host, r.section, r.status, r.bytes);
        continue;
      }
      const dict = dicts[how] as string[];
      const idOf = (name: string): number => (dict.includes(name) ? dict.indexOf(name) : dict.push(name) - 1);
      foldIds(agg, idOf(r.host), dict, idOf(r.section), dict, r.status, r.bytes);
    }
    assert.deepEqual(closedWindow(0, 10_000, agg, 0), windowOf(0, 10_000, records));
  }
});
