import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestScheduler } from 'rxjs/testing';
import fc from 'fast-check';
import { EMPTY, NEVER, type Observable, Subject, from } from 'rxjs';
import { mergeByTime } from '../../operators/mergeByTime.js';
import type { ParsedLine } from '../../src/types.js';
import type { RecordBatch } from '../../src/parse/recordBatch.js';
import { bad, rec } from '../helpers/records.js';
import { withPause } from '../../src/core/pausable.js';
import { withCaughtUp } from '../../src/core/caughtUp.js';
import { ManualScheduler } from '../helpers/manualScheduler.js';
import { rowsOfBatches } from '../helpers/batchRows.js';

type Helpers = Parameters<Parameters<TestScheduler['run']>[0]>[0];

/**
 * Runs `build` in virtual time; what it emits as `frame:label` (label: the record's section,
 * `!` for an invalid line, `|` completion, `#` error), each row of each batch as it is handed
 * over (its columns checked against its record): timing as plain data.
 */
function timeline(build: (helpers: Helpers, scheduler: TestScheduler) => Observable<RecordBatch>, unsubscribeAt?: number): string[] {
  const out: string[] = [];
  const scheduler = new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
  scheduler.run((helpers) => {
    const at = (label: string): void => void out.push(`${scheduler.now()}:${label}`);
    const sub = rowsOfBatches(build(helpers, scheduler)).subscribe({
      next: (line) => at(line.type === 'record' ? line.section : '!'),
      error: () => at('#'),
      complete: () => at('|'),
    });
    if (unsubscribeAt !== undefined) scheduler.schedule(() => sub.unsubscribe(), unsubscribeAt);
    helpers.flush();
  });
  return out;
}

/** A record at `seconds` whose section is `s<seconds>`, so the timeline shows which line went. */
const r = (seconds: number, tag = ''): ParsedLine => rec(seconds, { section: `s${seconds}${tag}` });

test('merges two sources by event time; a line waits until every source has one or has ended', () => {
  const got = timeline(({ cold }) => {
    const a = cold<ParsedLine>('-x-----y-|', { x: r(1), y: r(5) });
    const b = cold<ParsedLine>('---x-y----z-|', { x: r(2), y: r(3), z: r(7) });
    return from([a, b]).pipe(mergeByTime());
  });
  // 1 waits for b's first line (frame 3); b's 2 and 3 wait for a's next line (5, frame 7);
  // 5 waits for b's 7 (frame 10); a has ended (9), so 7 goes at once.
  assert.deepEqual(got, ['3:s1', '7:s2', '7:s3', '10:s5', '10:s7', '12:|']);
});

test('ties in time go to the earlier source; lines keep their order within a source, even out of time order', () => {
  const got = timeline(({ cold }) => {
    const a = cold<ParsedLine>('xy|', { x: r(9, 'a'), y: r(4, 'a') });
    const b = cold<ParsedLine>('xy|', { x: r(4, 'b'), y: r(9, 'b') });
    return from([a, b]).pipe(mergeByTime());
  });
  // heads 9a / 4b -> 4b; 9a / 9b tie -> 9a (a first); then a's 4a (a's own order) before 9b.
  assert.deepEqual(got, ['0:s4b', '1:s9a', '1:s4a', '2:s9b', '2:|']);
});

test('an invalid line has no time: it leaves as soon as it heads its source', () => {
  const got = timeline(({ cold }) => {
    const a = cold<ParsedLine>('ix-|', { i: bad('???'), x: r(2) });
    const b = cold<ParsedLine>('---x|', { x: r(1) });
    return from([a, b]).pipe(mergeByTime());
  });
  // b's 1 goes before a's 2 (frame 3); a has ended, but 2 waits until b ends (4).
  assert.deepEqual(got, ['0:!', '3:s1', '4:s2', '4:|']);
});

test('idleTimeout: a quiet source stops holding the others back; its later lines join when they come', () => {
  const got = timeline(({ cold }, scheduler) => {
    const a = cold<ParsedLine>('xy------------|', { x: r(1), y: r(2) });
    const b = cold<ParsedLine>('--------x-|', { x: r(3) });
    return from([a, b]).pipe(mergeByTime({ idleTimeout: 5, scheduler }));
  });
  // b says nothing for 5 frames: a's lines go at frame 5; b's line at 8 goes at once.
  assert.deepEqual(got, ['5:s1', '5:s2', '8:s3', '14:|']);
});

test('idleTimeout: the quiet clock restarts with each line of the quiet source', () => {
  const got = timeline(({ cold }, scheduler) => {
    const a = cold<ParsedLine>('x--y--------|', { x: r(1), y: r(9) });
    const b = cold<ParsedLine>('--x-------|', { x: r(5) });
    return from([a, b]).pipe(mergeByTime({ idleTimeout: 4, scheduler }));
  });
  // 1 goes at b's 5 (frame 2); 5 goes with a's 9 (3); 9 waits: b quiet since 2, until frame 6.
  assert.deepEqual(got, ['2:s1', '3:s5', '6:s9', '12:|']);
});

test('idleTimeout: a source that joins later is merged from then on', () => {
  const got = timeline(({ hot, cold }, scheduler) => {
    const a = cold<ParsedLine>('x---y-------|', { x: r(1), y: r(5) });
    const b = cold<ParsedLine>('x-y|', { x: r(2), y: r(6) });
    const sources = hot<Observable<ParsedLine>>('a-b--', { a, b });
    return sources.pipe(mergeByTime({ idleTimeout: 100, scheduler }));
  });
  // a1 has no one to wait for at 0; b joins at 2 and its 2 waits for a (a5 at 4); b's 6 waits
  // for a's next line or end (12).
  assert.deepEqual(got, ['0:s1', '4:s2', '4:s5', '12:s6']);
});

test('empty, never, error and early unsubscribe', () => {
  assert.deepEqual(
    timeline(() => from([] as Observable<ParsedLine>[]).pipe(mergeByTime())),
    ['0:|'],
  );
  assert.deepEqual(
    timeline(() => from([EMPTY, EMPTY] as Observable<ParsedLine>[]).pipe(mergeByTime())),
    ['0:|'],
  );
  assert.deepEqual(
    timeline(() => from([NEVER] as Observable<ParsedLine>[]).pipe(mergeByTime())),
    [],
  );
  // Replay (no idle timeout): a silent never-ending source holds the others back.
  assert.deepEqual(
    timeline(({ cold }) => from([cold<ParsedLine>('x|', { x: r(1) }), NEVER]).pipe(mergeByTime())),
    [],
  );
  assert.deepEqual(
    timeline(({ cold }) => from([cold<ParsedLine>('x-#', { x: r(1) }), cold<ParsedLine>('-----x|', { x: r(2) })]).pipe(mergeByTime())),
    ['2:#'],
  );
  let subscriptions: unknown;
  const got = timeline(({ cold }) => {
    const long = cold<ParsedLine>('w-x-y-z-|', { w: r(1), x: r(2), y: r(3), z: r(4) });
    subscriptions = long.subscriptions;
    return from([long]).pipe(mergeByTime());
  }, 3);
  assert.deepEqual(got, ['0:s1', '2:s2']);
  assert.deepEqual(
    (subscriptions as { subscribedFrame: number; unsubscribedFrame: number }[]).map((x) => [x.subscribedFrame, x.unsubscribedFrame]),
    [[0, 3]],
  );
});

test('completion: buffered lines of ended sources are flushed in time order', () => {
  const a = new Subject<ParsedLine>();
  const b = new Subject<ParsedLine>();
  const out: number[] = [];
  let done = false;
  rowsOfBatches(from([a, b]).pipe(mergeByTime())).subscribe({
    next: (l) => void (l.type === 'record' && out.push(l.time / 1000)),
    complete: () => (done = true),
  });
  a.next(rec(3));
  a.next(rec(8));
  assert.deepEqual(out, []);
  b.next(rec(5));
  assert.deepEqual(out, [3, 5]);
  a.complete();
  assert.deepEqual(out, [3, 5], 'a8 still waits for b');
  b.next(rec(9));
  assert.deepEqual(out, [3, 5, 8, 9]);
  assert.equal(done, false);
  b.complete();
  assert.equal(done, true);
});

test('a pausable source whose lines pile up is paused, and resumed once they drain', () => {
  const calls: string[] = [];
  const a = new Subject<ParsedLine>();
  const bLines = new Subject<ParsedLine>();
  const b = withPause(bLines.asObservable(), { pause: () => calls.push('pause'), resume: () => calls.push('resume') });
  const out: number[] = [];
  rowsOfBatches(from([a, b]).pipe(mergeByTime({ highWaterMark: 4 }))).subscribe(
    (l) => void (l.type === 'record' && out.push(l.time / 1000)),
  );
  for (let s = 100; s < 104; s++) bLines.next(rec(s));
  assert.deepEqual(calls, ['pause'], 'b waits for a with 4 lines: paused');
  bLines.next(rec(104));
  assert.deepEqual(calls, ['pause'], 'paused once');
  a.next(rec(1));
  a.next(rec(102));
  assert.deepEqual(out, [1, 100, 101, 102], "a's 102 first (tie), b's 102 waits for a");
  assert.deepEqual(calls, ['pause'], 'three still waiting: still paused');
  a.next(rec(200));
  assert.deepEqual(out, [1, 100, 101, 102, 102, 103, 104]);
  assert.deepEqual(calls, ['pause', 'resume'], 'down to half the mark: resumed');
});

test("property: every line out once, in its source's order, each record after every earlier-timed record of sources that had it first (ties, invalid lines, idle timeout, late joiners)", () => {
  const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const event = fc.record({ gap: fc.nat(3), time: fc.integer({ min: 0, max: 12 }), invalid: fc.boolean() });
  const source = fc.record({ join: fc.nat(4), events: fc.array(event, { maxLength: 14 }), tail: fc.nat(4), ends: fc.boolean() });
  fc.assert(
    fc.property(
      fc.array(source, { minLength: 1, maxLength: 4 }),
      fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      (sources, idleTimeout) => {
        const got = timeline(({ cold, hot }, scheduler) => {
          const inner = sources.map((s, i) => {
            const values: Record<string, ParsedLine> = {};
            const marble = s.events.map((e, k) => {
              const letter = LETTERS[k] as string;
              values[letter] = e.invalid ? bad(`junk ${i}.${k}`) : r(e.time, `.${i}.${k}`);
              return `${'-'.repeat(e.gap)}${letter}`;
            });
            return cold<ParsedLine>(`${marble.join('')}${'-'.repeat(s.tail)}${s.ends ? '|' : ''}`, values);
          });
          const names = sources.map((_, i) => String.fromCharCode(97 + i));
          const outer = sources.map((s, i) => `${'-'.repeat(s.join)}${names[i]}`).join('');
          const joined = hot<Observable<ParsedLine>>(`${outer}|`, Object.fromEntries(inner.map((o, i) => [names[i], o])));
          return joined.pipe(mergeByTime(idleTimeout === undefined ? {} : { idleTimeout, scheduler }));
        });
        const records = got.map((entry) => /^\d+:s(\d+)\.(\d+)\.(\d+)$/.exec(entry)).filter((m) => m !== null);
        assert.equal(new Set(records.map((m) => m[0].split(':')[1])).size, records.length, 'no record twice');
        for (let i = 0; i < sources.length; i++) {
          const ks = records.filter((m) => Number(m[2]) === i).map((m) => Number(m[3]));
          assert.deepEqual(
            ks,
            [...ks].sort((x, y) => x - y),
            `source ${i} keeps its order`,
          );
        }
        if (got.at(-1)?.endsWith(':|') === true) {
          const expected = sources.reduce((n, s) => n + s.events.filter((e) => !e.invalid).length, 0);
          assert.equal(records.length, expected, 'completed: every record out');
          if (idleTimeout === undefined) {
            const times = records.map((m) => Number(m[1]));
            const sorted = sources.every((s) =>
              s.events.filter((e) => !e.invalid).every((e, k, all) => k === 0 || (all[k - 1] as { time: number }).time <= e.time),
            );
            if (sorted)
              assert.deepEqual(
                times,
                [...times].sort((x, y) => x - y),
                'sources in time order: merged in time order',
              );
          }
        }
      },
    ),
    { seed: 20_261_129, numRuns: 300 },
  );
});

// A source that says when its reader caught up (a tailed file, src/core/caughtUp.ts) is idle only
// once its reader looked, after its last lines and within the idle timeout, and found nothing.

test('caught up: a reader that has not read yet (a restart under load) holds the others past the idle timeout; its lines go first', () => {
  const got = timeline(({ cold, hot }, scheduler) => {
    const a = withCaughtUp(
      cold<ParsedLine>('-----------x------|', { x: r(1) }),
      hot<number | undefined>('------------c-c-c-c-c-c', { c: undefined }),
    );
    const b = cold<ParsedLine>('xy------------------|', { x: r(2), y: r(3) });
    return from([a, b]).pipe(mergeByTime({ idleTimeout: 5, scheduler }));
  });
  // Without the channel a would be idle at 5 and b's 2 and 3 would go before a's 1. With it: 1
  // at 11, then 2 and 3 once a was quiet for 5 frames and seen caught up (16).
  assert.deepEqual(got, ['11:s1', '16:s2', '16:s3', '20:|']);
});

test('caught up: after a SIGSTOP longer than the idle timeout, a late timer does not count a file idle before its reader read what piled up', async () => {
  const scheduler = new ManualScheduler(0);
  const a = new Subject<ParsedLine>();
  const aCaughtUp = new Subject<number | undefined>();
  const b = new Subject<ParsedLine>();
  const out: number[] = [];
  rowsOfBatches(from([withCaughtUp(a, aCaughtUp), b]).pipe(mergeByTime({ idleTimeout: 1000, scheduler }))).subscribe(
    (l) => void (l.type === 'record' && out.push(l.time / 1000)),
  );
  a.next(r(1));
  b.next(r(3));
  assert.deepEqual(out, [1], "3 waits for a's next line");
  await scheduler.advance(500);
  aCaughtUp.next(undefined); // a's tailer polled: nothing more
  await scheduler.resumeAfterStop(15_000); // stopped 15 s: the merge's timer fires late, before any tailer ran
  assert.deepEqual(out, [1], 'a was last seen caught up 15 s ago: not idle, 3 still waits');
  a.next(r(2)); // what piled up in a while stopped
  aCaughtUp.next(undefined);
  assert.deepEqual(out, [1, 2]);
  await scheduler.advance(1000);
  aCaughtUp.next(undefined);
  await scheduler.advance(1);
  assert.deepEqual(out, [1, 2, 3], 'a quiet and caught up: 3 goes');
});

test('caught up: a look that began before a SIGSTOP and ended after it counts for when it began: the file is not idle before its reader looks again', async () => {
  const scheduler = new ManualScheduler(0);
  const a = new Subject<ParsedLine>();
  const aCaughtUp = new Subject<number | undefined>();
  const b = new Subject<ParsedLine>();
  const out: number[] = [];
  rowsOfBatches(from([withCaughtUp(a, aCaughtUp), b]).pipe(mergeByTime({ idleTimeout: 1000, scheduler }))).subscribe(
    (l) => void (l.type === 'record' && out.push(l.time / 1000)),
  );
  a.next(r(1));
  b.next(r(3));
  await scheduler.advance(500);
  const lookStarted = scheduler.now(); // a poll of a starts: it stats the file, then the process is stopped
  await scheduler.resumeAfterStop(15_000);
  aCaughtUp.next(lookStarted); // that poll ends after the stop: it found nothing more, as of before the stop
  await scheduler.advance(1);
  assert.deepEqual(out, [1], 'a looked 15 s ago, before what piled up while stopped: not idle, 3 still waits');
  a.next(r(2)); // the next look reads what piled up
  aCaughtUp.next(scheduler.now());
  await scheduler.advance(1000);
  aCaughtUp.next(scheduler.now());
  await scheduler.advance(1);
  assert.deepEqual(out, [1, 2, 3]);
});

test('caught up: a quiet file whose reader keeps catching up is idle after the idle timeout, as without the channel', () => {
  const got = timeline(({ cold, hot }, scheduler) => {
    const a = withCaughtUp(
      cold<ParsedLine>('xy------------|', { x: r(1), y: r(2) }),
      hot<number | undefined>('c-c-c-c-c-c-c-c', { c: undefined }),
    );
    const b = withCaughtUp(cold<ParsedLine>('--------x-|', { x: r(3) }), hot<number | undefined>('c-c-c-c-c-c-c-c', { c: undefined }));
    return from([a, b]).pipe(mergeByTime({ idleTimeout: 5, scheduler }));
  });
  assert.deepEqual(got, ['5:s1', '5:s2', '8:s3', '14:|']);
});
