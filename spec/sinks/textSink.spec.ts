import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTextSink } from '../../src/sinks/textSink.js';
import { formatEmptyRun, formatText, humanDuration } from '../../src/sinks/textFormat.js';
import type { AlertEvent, MonitorEvent, StatsEvent, SummaryEvent } from '../../src/types.js';

const T = Date.UTC(2026, 9, 10, 13, 58, 0);
const I = 10_000;

function stats(i: number, hits: number, extra: Partial<StatsEvent> = {}): StatsEvent {
  const start = T + i * I;
  return {
    type: 'stats',
    start,
    end: start + I,
    hits,
    bytes: hits * 10,
    hosts: hits > 0 ? 1 : 0,
    sections: hits > 0 ? [{ name: '/a', hits }] : [],
    status: hits > 0 ? { '2xx': hits } : {},
    invalid: 0,
    late: 0,
    ...extra,
  };
}

const summary: SummaryEvent = { type: 'summary', lines: 9, parsed: 9, invalid: 0, late: 0 };

/** What the sink writes for `events`, as lines, and what it wrote before close. */
async function written(
  events: MonitorEvent[],
  format: 'text' | 'json' = 'text',
  buffered = false,
): Promise<{ lines: string[]; beforeClose: string[] }> {
  let out = '';
  const sink = createTextSink({ stream: { write: (chunk: string) => (out += chunk) }, format, buffered });
  for (const e of events) sink.next(e);
  const beforeClose = out.split('\n').filter((l) => l !== '');
  const report = await sink.close();
  assert.equal(report.delivered, events.length);
  return { lines: out.split('\n').filter((l) => l !== ''), beforeClose };
}

test('text: a run of empty intervals is one line, printed when the next non-empty interval comes', async () => {
  const events = [stats(0, 5), stats(1, 0), stats(2, 0), stats(3, 0), stats(4, 2)];
  const { lines } = await written(events);
  assert.deepEqual(lines, [
    ...formatText(events[0] as StatsEvent).split('\n'),
    '2026-10-10 13:58:10 – 2026-10-10 13:58:40 UTC: no traffic for 30 s (3 empty intervals)',
    ...formatText(events[4] as StatsEvent).split('\n'),
  ]);
  for (const buffered of [true, false]) assert.deepEqual((await written(events, 'text', buffered)).lines, lines, `buffered ${buffered}`);
});

test('text: a single empty interval, or one with invalid or late lines, prints as usual', async () => {
  const events = [stats(0, 5), stats(1, 0), stats(2, 3), stats(3, 0, { invalid: 2 }), stats(4, 0, { late: 1 }), stats(5, 1)];
  const { lines } = await written(events);
  assert.deepEqual(
    lines,
    events.flatMap((e) => formatText(e).split('\n')),
  );
  assert.ok(lines.includes('2026-10-10 13:58:10-13:58:20 UTC | 0 hits | 0 B | 0 clients'), lines.join('\n'));
});

test('text: the intervals skipped across a gap join the run, whether the skip is on an empty or a non-empty interval', async () => {
  // 3 empty emitted, then a skip of 24,296 reported on the next data interval.
  const after = stats(24_300, 4, { skipped: 24_296 });
  const { lines } = await written([stats(0, 5), stats(1, 0), stats(2, 0), stats(3, 0), after]);
  const { skipped: _, ...plain } = after;
  assert.deepEqual(lines.slice(-2 - formatText(plain).split('\n').length + 1), [
    '2026-10-10 13:58:10 – 2026-10-13 09:28:00 UTC: no traffic for 2 days 19 h (24,299 empty intervals)',
    ...formatText(plain).split('\n'),
  ]);
  assert.ok(!lines.some((l) => l.includes('skipped')), 'no separate skip note');
  // The skip on the empty interval the watermark stopped at, then data.
  const { lines: onEmpty } = await written([stats(0, 5), stats(1, 0), stats(1000, 0, { skipped: 998 }), stats(1001, 1)]);
  assert.equal(onEmpty[onEmpty.length - 1 - formatText(stats(1001, 1)).split('\n').length], formatEmptyRun(T + I, T + 1001 * I, 1000));
});

test('text: an alert, the summary and close each print the pending run first', async () => {
  const alert: AlertEvent = { type: 'alert', state: 'recovered', at: T + 3 * I, hits: 0, rate: 0, threshold: 1 };
  const { lines, beforeClose } = await written([stats(0, 5), stats(1, 0), stats(2, 0), alert, stats(3, 0), stats(4, 0), summary]);
  const run1 = formatEmptyRun(T + I, T + 3 * I, 2);
  const run2 = formatEmptyRun(T + 3 * I, T + 5 * I, 2);
  assert.deepEqual(lines.slice(-4), [run1, formatText(alert), run2, formatText(summary)]);
  assert.deepEqual(beforeClose, lines);
  // Nothing after the run: close prints it.
  const open = await written([stats(0, 5), stats(1, 0), stats(2, 0)]);
  assert.equal(open.beforeClose.includes(formatEmptyRun(T + I, T + 3 * I, 2)), false, 'not known to be over before close');
  assert.equal(open.lines.at(-1), formatEmptyRun(T + I, T + 3 * I, 2));
});

test('json: every event, empty intervals included', async () => {
  const events = [stats(0, 5), stats(1, 0), stats(2, 0), stats(3, 0), summary];
  assert.equal((await written(events, 'json')).lines.length, 5);
});

test('humanDuration: the two largest units', () => {
  assert.equal(humanDuration(40_000), '40 s');
  assert.equal(humanDuration(330_000), '5 min 30 s');
  assert.equal(humanDuration(300_000), '5 min');
  assert.equal(humanDuration(12_000_000), '3 h 20 min');
  assert.equal(humanDuration(86_400_000), '1 day');
  assert.equal(humanDuration((2 * 86_400 + 19 * 3600 + 120) * 1000), '2 days 19 h');
});
