import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Subject, from, throwError, concat } from 'rxjs';
import { connectSinks, createTextSink, type MonitorEvent, type Sink, type SinkReport } from '../../src/index.js';

const summary: MonitorEvent = { type: 'summary', lines: 0, parsed: 0, invalid: 0, late: 0 };
const alert: MonitorEvent = { type: 'alert', state: 'firing', at: Date.UTC(2026, 0, 1), hits: 1300, rate: 10.8, threshold: 10 };

/** A sink that records what it gets and whether it was closed. */
function recording(name: string, failOn?: number): Sink & { seen: MonitorEvent[]; closed: boolean } {
  const sink = {
    seen: [] as MonitorEvent[],
    closed: false,
    next(event: MonitorEvent) {
      if (sink.seen.length === failOn) throw new Error(`${name} broke`);
      sink.seen.push(event);
    },
    close: async (): Promise<SinkReport> => {
      sink.closed = true;
      return { name, delivered: sink.seen.length, undelivered: 0 };
    },
  };
  return sink;
}

test('connectSinks: every event to every sink, then every sink closed; the reports in order', async () => {
  const a = recording('a');
  const b = recording('b');
  const reports = await connectSinks(from([alert, summary]), [a, b]);
  assert.deepEqual(a.seen, [alert, summary]);
  assert.deepEqual(b.seen, [alert, summary]);
  assert.ok(a.closed && b.closed);
  assert.deepEqual(reports, [
    { name: 'a', delivered: 2, undelivered: 0 },
    { name: 'b', delivered: 2, undelivered: 0 },
  ]);
});

test('connectSinks: a sink that throws is reported once and dropped, the events it missed count as undelivered; the others go on', async () => {
  const warnings: string[] = [];
  const ok = recording('ok');
  const broken = recording('broken', 1);
  const reports = await connectSinks(from([alert, summary, summary]), [broken, ok], { onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, ['an output failed and was stopped: broken broke']);
  assert.equal(ok.seen.length, 3);
  assert.ok(broken.closed, 'closed all the same');
  assert.deepEqual(reports[0], {
    name: 'broken',
    delivered: 1,
    undelivered: 2,
    detail: 'broken: stopped after an error, 2 event(s) not given to it',
  });
  assert.deepEqual(reports[1], { name: 'ok', delivered: 3, undelivered: 0 });
});

test('connectSinks: the events fail: every sink is closed, then the promise rejects with that error', async () => {
  const a = recording('a');
  const boom = new Error('boom');
  await assert.rejects(
    connectSinks(
      concat(
        from([summary]),
        throwError(() => boom),
      ),
      [a],
    ),
    (err) => err === boom,
  );
  assert.deepEqual(a.seen, [summary]);
  assert.ok(a.closed);
});

test('createTextSink: one line per event, as text or NDJSON; buffered output waits for 64 KiB or a non-stats event', async () => {
  const json: string[] = [];
  const sink = createTextSink({ stream: { write: (c: string) => json.push(c) }, format: 'json' });
  const events$ = new Subject<MonitorEvent>();
  const done = connectSinks(events$, [sink]);
  events$.next(alert);
  assert.deepEqual(
    json.map((l) => JSON.parse(l) as unknown),
    [{ ...alert, at: '2026-01-01T00:00:00Z' }],
  );
  events$.complete();
  assert.deepEqual(await done, [{ name: 'json', delivered: 1, undelivered: 0 }]);

  const chunks: string[] = [];
  const stats: MonitorEvent = {
    type: 'stats',
    start: 0,
    end: 10_000,
    hits: 1,
    bytes: 10,
    hosts: 1,
    sections: [],
    status: {},
    invalid: 0,
    late: 0,
  };
  const buffered = createTextSink({ stream: { write: (c: string) => chunks.push(c) }, format: 'text', buffered: true });
  buffered.next(stats);
  buffered.next(stats);
  assert.equal(chunks.length, 0, 'stats wait in the buffer');
  buffered.next(alert);
  assert.equal(chunks.length, 1, 'an alert goes out at once, with the stats before it');
  assert.equal(chunks[0]?.split('\n').length, 4);
  buffered.next(stats);
  assert.deepEqual(await buffered.close(), { name: 'text', delivered: 4, undelivered: 0 });
  assert.equal(chunks.length, 2, 'close flushes');
});
