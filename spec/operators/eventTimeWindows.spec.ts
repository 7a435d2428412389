import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventTimeWindows } from '../../operators/eventTimeWindows.js';
import type { AccessRecord, ClosedWindow, ParsedLine, WindowOutput } from '../../src/types.js';
import { bad, rec as record, windowOf } from '../helpers/records.js';
import { newScheduler } from '../helpers/testScheduler.js';

/** A record whose section names its time, so that a window's sections tell which records it holds. */
const rec = (seconds: number): AccessRecord =>
  record(seconds, { section: `/t${seconds}`, host: `h${seconds % 3}`, bytes: seconds, status: 200 + (((seconds % 4) + 4) % 4) * 100 });

/** The window [startS, startS + sizeS) s holding exactly `records` (aggregated by the spec helper). */
const win = (startS: number, records: AccessRecord[], sizeS = 10): ClosedWindow =>
  windowOf(startS * 1000, (startS + sizeS) * 1000, records);

test('closes a window once the watermark passes its end; a record after that is late', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const r1 = rec(1),
      r12 = rec(12),
      r4 = rec(4),
      r17 = rec(17),
      r3 = rec(3);
    const source = cold<ParsedLine>('abcde|', { a: r1, b: r12, c: r4, d: r17, e: r3 });
    // watermark (lateness 5 s): a:-4 b:7 c:7 d:12 -> [0,10) closes at d; e(3 s) is late.
    const expected = '---wL(x|)';
    expectObservable(source.pipe(eventTimeWindows({ interval: 10_000, lateness: 5_000 }))).toBe(expected, {
      w: win(0, [r1, r4]),
      L: { type: 'late', record: r3, watermark: 12_000 },
      x: win(10, [r12, r17]),
    });
  });
});

test('lateness 0: a record inside the newest window is still on time, one behind it is late', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(15),
      b = rec(11),
      c = rec(9);
    const source = cold<ParsedLine>('abc|', { a, b, c });
    expectObservable(source.pipe(eventTimeWindows({ interval: 10_000, lateness: 0 }))).toBe('--L(x|)', {
      L: { type: 'late', record: c, watermark: 15_000 },
      x: win(10, [a, b]),
    });
  });
});

test('emits empty windows across a gap, in order, and starts at the earliest counted record', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(21),
      b = rec(14),
      c = rec(55);
    const source = cold<ParsedLine>('abc-----|', { a, b, c });
    // b (14 s) arrives after a but within lateness: the first window is [10,20).
    // c (55 s) moves the watermark to 45 s: [10,20) .. [30,40) close; the rest at completion.
    expectObservable(source.pipe(eventTimeWindows({ interval: 10_000, lateness: 10_000 }))).toBe('--(wxy)-(vz|)', {
      w: win(10, [b]),
      x: win(20, [a]),
      y: win(30, []),
      v: win(40, []),
      z: win(50, [c]),
    });
  });
});

test('flushes every open window at completion, gaps included', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(3),
      b = rec(25);
    const source = cold<ParsedLine>('ab|', { a, b });
    expectObservable(source.pipe(eventTimeWindows({ interval: 10_000, lateness: 60_000 }))).toBe('--(xyz|)', {
      x: win(0, [a]),
      y: win(10, []),
      z: win(20, [b]),
    });
  });
});

test('passes invalid lines through in arrival order', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const i = bad('???'),
      a = rec(1);
    const source = cold<ParsedLine>('ia|', { i, a });
    expectObservable(source.pipe(eventTimeWindows())).toBe('i-(x|)', { i, x: win(0, [a]) });
  });
});

test('empty input completes with nothing; never-ending input emits nothing', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    expectObservable(cold<ParsedLine>('|').pipe(eventTimeWindows())).toBe('|');
    expectObservable(cold<ParsedLine>('-').pipe(eventTimeWindows())).toBe('-');
  });
});

test('forwards an error without flushing open windows', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const source = cold<ParsedLine>('a#', { a: rec(1) }, new Error('boom'));
    expectObservable(source.pipe(eventTimeWindows())).toBe('-#', undefined, new Error('boom'));
  });
});

test('unsubscribing early stops the source and drops the open windows', () => {
  newScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
    const a = rec(1),
      b = rec(25),
      c = rec(45);
    const source = hot<ParsedLine>('a-b-c-|', { a, b, c });
    expectObservable(source.pipe(eventTimeWindows()), '^--!').toBe('--w', { w: win(0, [a]) });
    expectSubscriptions(source.subscriptions).toBe('^--!');
  });
});

test('idle input: the watermark advances with the scheduler, windows close and the timer stops on unsubscribe', () => {
  newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
    const a = rec(5);
    const source = cold<ParsedLine>('a', { a });
    // Line at event 5 s arrives at 0; event "now" = 5 s + idle. [0,10) closes when now - 10 s >= 10 s,
    // i.e. 15 s of processing time later; the empty [10,20) 10 s after that.
    const result = source.pipe(eventTimeWindows({ interval: 10_000, lateness: 10_000, idleTimeout: 10_000 }));
    expectObservable(result, '^ 29999ms !').toBe('15s w 9999ms x', { w: win(0, [a]), x: win(10, []) });
    expectSubscriptions(source.subscriptions).toBe('^ 29999ms !');
  });
});

test('idle time counts from the last counted line: invalid, late and future lines do not stop the clock', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(5),
      old = rec(-30),
      future = record(1e9);
    const j = bad('junk');
    // Counted line at 0 (event 5 s); junk every 4 s, a late record (event -30 s) and a far-future one.
    // Idle still counts from 0: [0,10) closes at 15 s, the empty [10,20) at 25 s, as with no junk.
    //                     0    4s       8s       12s      16s      20s      24s
    const source = cold<ParsedLine>('a 3999ms b 3999ms c 3999ms d 3999ms j 3999ms j 3999ms j', { a, b: j, c: old, d: future, j });
    const result = source.pipe(eventTimeWindows({ interval: 10_000, lateness: 10_000, idleTimeout: 10_000, maxFuture: 86_400_000 }));
    const futureOut = { type: 'invalid', line: `10.0.0.1 GET / at ${new Date(1e12).toISOString()}`, reason: 'future_time' };
    expectObservable(result, '^ 29999ms !').toBe('4s b 3999ms L 3999ms f 2999ms w 999ms j 3999ms j 3999ms j 999ms x', {
      b: j,
      j,
      L: { type: 'late', record: old, watermark: -5_000 },
      f: futureOut,
      w: win(0, [a]),
      x: win(10, []),
    });
  });
});

test('idle advance waits for the idle timeout after each new line', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(5),
      b = rec(6);
    // b arrives 12 s after a: no advance happened before it (idle timeout 20 s).
    const source = cold<ParsedLine>('a 11999ms b', { a, b });
    const result = source.pipe(eventTimeWindows({ interval: 10_000, lateness: 10_000, idleTimeout: 20_000 }));
    // After b (at 12 s, event 6 s): due = 12 s + max(20 s, 10 + 10 - 6 = 14 s) = 32 s.
    // Then [10,20) closes when event now (6 s + idle) - 10 s reaches 20 s: 24 s after b, at 36 s.
    expectObservable(result, '^ 40s !').toBe('32s w 3999ms x', { w: win(0, [a, b]), x: win(10, []) });
  });
});

test('idleHold: while input is on its way the idle advance waits, asking again every 250 ms', () => {
  const scheduler = newScheduler();
  scheduler.run(({ cold, expectObservable }) => {
    const a = rec(5);
    const source = cold<ParsedLine>('a', { a });
    // As in the first idle test, [0,10) would close at 15 s; input is "on its way" until
    // 15.5 s (asked from 10 s on, every 250 ms), so it closes at 15.5 s. [10,20) closes at 25 s.
    const idleHold = (): boolean => scheduler.now() < 15_500;
    const result = source.pipe(eventTimeWindows({ interval: 10_000, lateness: 10_000, idleTimeout: 10_000, idleHold }));
    expectObservable(result, '^ 29999ms !').toBe('15500ms w 9499ms x', { w: win(0, [a]), x: win(10, []) });
  });
});

test('windows come out in time order whatever the arrival order within lateness', () => {
  const times = [7, 3, 18, 12, 9, 25, 21, 33];
  const result: WindowOutput[] = [];
  newScheduler().run(({ cold }) => {
    const keys = 'abcdefgh';
    const values: Record<string, ParsedLine> = {};
    for (const [i, t] of times.entries()) values[keys.charAt(i)] = rec(t);
    cold<ParsedLine>(`${keys}|`, values)
      .pipe(eventTimeWindows({ interval: 10_000, lateness: 10_000 }))
      .subscribe((w) => result.push(w));
  });
  const windows = result.filter((w): w is ClosedWindow => w.type === 'window');
  assert.deepEqual(
    windows.map((w) => w.start / 1000),
    [0, 10, 20, 30],
  );
  const heldTimes = (w: ClosedWindow): number[] => w.sections.map((s) => Number(s.name.slice(2))).sort((a, b) => a - b);
  assert.deepEqual(windows.map(heldTimes), [[3, 7, 9], [12, 18], [21, 25], [33]]);
  assert.deepEqual(
    windows.map((w) => w.hits),
    [3, 2, 2, 1],
  );
  assert.equal(result.length, windows.length, 'nothing late');
});

test('a gap longer than maxEmptyWindows emits that many empty windows, then skips to the data and says so', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(1),
      b = rec(1_000_005);
    const source = cold<ParsedLine>('ab-----|', { a, b });
    const result = source.pipe(eventTimeWindows({ interval: 10_000, lateness: 0, maxEmptyWindows: 2 }));
    // b moves the watermark to 1 000 005 s: [0,10) with a, two empty windows, then a jump to
    // the last window the watermark closes ([999 990, 1 000 000)), 99 996 windows skipped.
    expectObservable(result).toBe('-(wxyz)(b|)', {
      w: win(0, [a]),
      x: win(10, []),
      y: win(20, []),
      z: { ...win(999_990, []), skipped: 99_996 },
      b: win(1_000_000, [b]),
    });
  });
});

test('a line dated far after the clock is invalid, not a watermark jump (maxFuture)', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(5),
      future = record(4_102_444_800, { host: 'h', path: '/x' }),
      b = rec(8);
    const source = cold<ParsedLine>('afb|', { a, f: future, b });
    // Virtual clock at 0 ms: records at 5 s and 8 s are within a day; 2100-01-01 is not.
    const result = source.pipe(eventTimeWindows({ maxFuture: 86_400_000 }));
    expectObservable(result).toBe('-f-(w|)', {
      f: { type: 'invalid', line: 'h GET /x at 2100-01-01T00:00:00.000Z', reason: 'future_time' },
      w: win(0, [a, b]),
    });
  });
});

test('maxEmptyWindows 0 skips every gap and still terminates', () => {
  newScheduler().run(({ cold, expectObservable }) => {
    const a = rec(1),
      b = rec(35);
    const source = cold<ParsedLine>('ab---|', { a, b });
    // b: watermark 35 s closes [0,10), then jumps over [10,20) to the last closed window [20,30).
    expectObservable(source.pipe(eventTimeWindows({ interval: 10_000, lateness: 0, maxEmptyWindows: 0 }))).toBe('-(wx)(y|)', {
      w: win(0, [a]),
      x: { ...win(20, []), skipped: 1 },
      y: win(30, [b]),
    });
  });
});
