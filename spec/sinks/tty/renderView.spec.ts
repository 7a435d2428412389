import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialViewState, recentHits, reduceView, renderView, type ViewState } from '../../../src/sinks/tty/index.js';
import { textWidth } from '../../../src/sinks/tty/textWidth.js';
import { formatAlert } from '../../../src/sinks/textFormat.js';
import type { AlertEvent, SectionHits, StatsEvent } from '../../../src/types.js';
import { ALERT_WINDOW, FILE, HOSTILE_ESCAPED, T0, THRESHOLD, scriptEvents, scriptSummary } from '../../helpers/ttyScript.js';

const SGR = /\x1b\[[0-9;]*m/g;
const events = scriptEvents();
const alerts = events.filter((e): e is AlertEvent => e.type === 'alert');
const full: ViewState = events.reduce(
  reduceView,
  initialViewState({ file: FILE, mode: 'follow', threshold: THRESHOLD, alertWindow: ALERT_WINDOW }),
);
const live = { open: { start: T0 + 440_000, hits: 37 } };

test('the script fires, recovers and fires again (the view ends FIRING)', () => {
  assert.deepEqual(
    alerts.map((a) => a.state),
    ['firing', 'recovered', 'firing'],
  );
});

test('on a 120x40 screen every part is there', () => {
  const lines = renderView(full, { width: 120, height: 40, color: false, live });
  const text = lines.join('\n');
  assert.equal(lines.length, 40);
  assert.match(lines[0] ?? '', /^● FIRING {2}rate\(2m\) 15\.78\/s > threshold 10\/s · follow · \/var\/log\/apache2\/access\.log/);
  assert.equal(lines[1], 'current  2026-01-01 00:07:20 UTC  37 hits so far');
  assert.match(lines[2] ?? '', /^rate\/s {3}[▁▂▃▄▅▆▇█]{44} {2}peak 20\.9\/s · threshold 10\/s = ▄$/);
  assert.match(text, /^totals {3}lines 5480 · parsed 5474 · invalid 6 · late 8/m);
  assert.match(text, /^time +hits +bytes +clients +2xx +3xx +4xx +5xx +invalid +late$/m);
  assert.match(text, /^00:07:10 +191 +435\.1 KiB +27 +162 +10 +11 +8 +0 +0$/m, 'newest interval first');
  assert.match(text, /^top sections {2}last 1m {2}00:06:20–00:07:20$/m, 'the last minute of intervals');
  assert.match(text, /^ {2}\/api +█{40} 494$/m, 'the largest section has the full bar; its hits summed over the minute');
  assert.ok(text.includes(`  ${HOSTILE_ESCAPED}  `), 'the hostile section name is escaped');
  assert.ok(!text.includes('\x1b') && !text.includes('\x07'), 'no raw escape or bell from the log');
  for (const a of alerts) assert.ok(text.includes(`  ${formatAlert(a)}`), `alert text: ${formatAlert(a)}`);
  assert.ok(text.indexOf(formatAlert(alerts[2]!)) < text.indexOf(formatAlert(alerts[0]!)), 'newest alert first');
});

test('every line fits the width, with or without colour', () => {
  for (const width of [20, 41, 80, 120, 200]) {
    for (const color of [false, true]) {
      for (const line of renderView(full, { width, height: 60, color, live })) {
        assert.ok(textWidth(line.replace(SGR, '')) <= width, `${width}: ${line}`);
      }
    }
  }
});

test('short screens drop parts instead of overflowing: table first, header last', () => {
  const at = (height: number): string[] => renderView(full, { width: 120, height, color: false, live });
  for (let h = 0; h <= 45; h++) assert.ok(at(h).length <= h, `height ${h}`);
  assert.deepEqual(
    at(1).map((l) => l.slice(0, 8)),
    ['● FIRING'],
  );
  assert.equal(at(4)[3]?.startsWith('totals'), true);
  const h9 = at(9).join('\n');
  assert.ok(h9.includes('alerts') && !h9.includes('top sections') && !h9.includes('time '), 'alerts before sections and table');
  assert.equal(at(9).at(-1), `  ${formatAlert(alerts[0]!)}`, 'all three alerts');
  const h12 = at(12).join('\n');
  assert.ok(h12.includes('time ') && h12.includes('00:07:10 ') && !h12.includes('00:07:00 '), 'then the table, down to one row');
  const h16 = at(16).join('\n');
  assert.ok(
    h16.includes('00:06:30 ') && !h16.includes('00:06:20 ') && !h16.includes('top sections'),
    'five table rows before the sections',
  );
  const h20 = at(20).join('\n');
  assert.ok(h20.includes('/static') && !h20.includes('/login') && !h20.includes('00:06:20 '), 'then sections, shortened');
  const h30 = at(30).join('\n');
  assert.ok(h30.includes('time ') && h30.includes('top sections') && h30.includes('alerts'));
});

test('colour only when asked: FIRING in red, OK in green', () => {
  const plain = renderView(full, { width: 120, height: 40, color: false, live }).join('\n');
  const coloured = renderView(full, { width: 120, height: 40, color: true, live }).join('\n');
  assert.equal(plain.match(SGR), null);
  assert.ok(coloured.startsWith('\x1b[1;31m● FIRING\x1b[0m'));
  assert.equal(coloured.replace(SGR, ''), plain, 'the same text under the colours');
  const ok = renderView(reduceView(full, { ...alerts[1]!, at: T0 + 450_000 }), { width: 120, height: 40, color: true });
  assert.ok(ok[0]?.startsWith('\x1b[1;32m● OK\x1b[0m'));
});

test('an empty view and a final one', () => {
  const empty = renderView(initialViewState({ file: 'x.log', mode: 'replay', threshold: 10, alertWindow: 120_000 }), {
    width: 80,
    height: 24,
    color: false,
  });
  assert.deepEqual(empty.slice(0, 4), [
    '● OK  rate(2m) – threshold 10/s · replay · x.log · apachescan',
    'current  –',
    'rate/s   –',
    'totals   lines 0 · parsed 0 · invalid 0 · late 0  (closed intervals so far)',
  ]);
  assert.ok(empty.includes('  none'));
  const final = reduceView(full, scriptSummary(events));
  const text = renderView(final, { width: 120, height: 40, color: false }).join('\n');
  assert.match(text, /^totals {3}lines 5480 · parsed 5474 · invalid 6 · late 8$/m);
  const stopped = reduceView(full, { ...scriptSummary(events), held: 12 });
  const kept = renderView(stopped, { width: 120, height: 40, color: false }).join('\n');
  assert.match(kept, /^totals {3}lines 5480 · parsed 5474 · invalid 6 · late 8 {2}\+ 12 held in open windows for the next run$/m);
});

test('a file name with escape sequences is escaped in the header', () => {
  const s = initialViewState({ file: 'a\x1b]0;pwned\x07.log', mode: 'follow', threshold: 10, alertWindow: 120_000 });
  assert.ok(renderView(s, { width: 120, height: 5, color: false })[0]?.includes('a\\x1b]0;pwned\\x07.log'));
});

test('current: the open interval, and no longer once the view has its stats (waiting for lines, with the age of the last line)', () => {
  const open = { start: T0 + 440_000, hits: 3 };
  const current = (state: ViewState, l: Parameters<typeof renderView>[1]['live']): string | undefined =>
    renderView(state, { width: 120, height: 40, color: false, live: l })[1];
  assert.equal(current(full, { open, idle: 2500 }), 'current  2026-01-01 00:07:20 UTC  3 hits so far · last line 2s ago');
  const closed = reduceView(full, {
    ...(events.filter((e) => e.type === 'stats').at(-1) as StatsEvent),
    start: open.start,
    end: open.start + 10_000,
    hits: 3,
  });
  assert.equal(
    current(closed, { open, idle: 12_000 }),
    'current  – waiting for lines · last line 12s ago',
    'closed: not shown as current, even before the engine says so',
  );
  assert.equal(current(full, { idle: 12_000 }), 'current  – waiting for lines · last line 12s ago', 'the engine says none is open');
  assert.equal(current(full, {}), 'current  –');
  assert.equal(current(full, undefined), 'current  –');
});

test('top sections and --by sum the intervals of the last minute, so a burst stays visible on a quiet site', () => {
  const config = { file: 'x.log', mode: 'follow', threshold: 10, alertWindow: 120_000 } as const;
  const interval = (i: number, sections: SectionHits[], by?: SectionHits[]): StatsEvent => ({
    type: 'stats',
    start: T0 + i * 10_000,
    end: T0 + (i + 1) * 10_000,
    hits: sections.reduce((n, x) => n + x.hits, 0),
    bytes: 0,
    hosts: 1,
    sections,
    status: {},
    invalid: 0,
    late: 0,
    ...(by === undefined ? {} : { by }),
  });
  const burst = interval(
    0,
    [
      { name: '/api', hits: 90 },
      { name: '/login', hits: 30 },
    ],
    [{ name: 'shop.log', hits: 120 }],
  );
  const quiet = (i: number): StatsEvent => interval(i, [], []);
  const at = (n: number): ViewState =>
    [burst, ...Array.from({ length: n }, (_, i) => quiet(i + 1))].reduce(reduceView, initialViewState(config));
  for (const n of [0, 1, 5]) {
    const text = renderView(at(n), { width: 100, height: 40, color: false }).join('\n');
    assert.match(
      text,
      new RegExp(
        `^top sections {2}last ${(n + 1) * 10 === 60 ? '1m' : `${(n + 1) * 10}s`} {2}00:00:00–00:0${Math.floor((n + 1) / 6)}:${String(((n + 1) * 10) % 60).padStart(2, '0')}$`,
        'm',
      ),
      `${n} quiet intervals later`,
    );
    assert.match(text, /^ {2}\/api {4}█{40} 90$/m, `${n} quiet intervals later`);
    assert.match(text, /^ {2}\/login {2}█{13} {27} 30$/m);
    assert.match(text, /^ {2}shop\.log {2}█{40} 120$/m, 'the --by breakdown too');
  }
  const later = renderView(at(6), { width: 100, height: 40, color: false }).join('\n');
  assert.match(later, /^top sections {2}last 1m {2}00:00:10–00:01:10\n {2}no hits$/m, 'a minute later the burst is gone');
  assert.doesNotMatch(later, /\/api|shop\.log {2}█/);
  const r = recentHits(at(3));
  assert.deepEqual(r?.sections, [
    { name: '/api', hits: 90 },
    { name: '/login', hits: 30 },
  ]);
  const summed = [
    interval(0, [
      { name: '/a', hits: 5 },
      { name: '/b', hits: 4 },
    ]),
    interval(1, [
      { name: '/b', hits: 7 },
      { name: '/c', hits: 6 },
    ]),
  ].reduce(reduceView, initialViewState(config));
  assert.deepEqual(
    recentHits(summed)?.sections,
    [
      { name: '/b', hits: 11 },
      { name: '/c', hits: 6 },
    ],
    'summed, most first, as many as an interval reports',
  );
  assert.equal(recentHits(initialViewState(config)), undefined);
});
