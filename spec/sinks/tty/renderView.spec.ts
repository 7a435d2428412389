import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialViewState, reduceView, renderView, type ViewState } from '../../../src/sinks/tty/index.js';
import { textWidth } from '../../../src/sinks/tty/textWidth.js';
import { formatAlert } from '../../../src/sinks/textFormat.js';
import type { AlertEvent } from '../../../src/types.js';
import { ALERT_WINDOW, FILE, HOSTILE_ESCAPED, T0, THRESHOLD, scriptEvents, scriptSummary } from '../../helpers/ttyScript.js';

const SGR = /\x1b\[[0-9;]*m/g;
const events = scriptEvents();
const alerts = events.filter((e): e is AlertEvent => e.type === 'alert');
const full: ViewState = events.reduce(reduceView, initialViewState({ file: FILE, mode: 'follow', threshold: THRESHOLD, alertWindow: ALERT_WINDOW }));
const live = { start: T0 + 440_000, hits: 37 };

test('the script fires, recovers and fires again (the view ends FIRING)', () => {
  assert.deepEqual(alerts.map((a) => a.state), ['firing', 'recovered', 'firing']);
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
  assert.match(text, /^top sections {2}00:07:10–00:07:20$/m);
  assert.match(text, /^ {2}\/api +█{40} 80$/m, 'the largest section has the full bar');
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
  assert.deepEqual(at(1).map((l) => l.slice(0, 8)), ['● FIRING']);
  assert.equal(at(4)[3]?.startsWith('totals'), true);
  const h9 = at(9).join('\n');
  assert.ok(h9.includes('alerts') && !h9.includes('top sections') && !h9.includes('time '), 'alerts before sections and table');
  assert.equal(at(9).at(-1), `  ${formatAlert(alerts[0]!)}`, 'all three alerts');
  const h12 = at(12).join('\n');
  assert.ok(h12.includes('time ') && h12.includes('00:07:10 ') && !h12.includes('00:07:00 '), 'then the table, down to one row');
  const h16 = at(16).join('\n');
  assert.ok(h16.includes('00:06:30 ') && !h16.includes('00:06:20 ') && !h16.includes('top sections'), 'five table rows before the sections');
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
  const empty = renderView(initialViewState({ file: 'x.log', mode: 'replay', threshold: 10, alertWindow: 120_000 }), { width: 80, height: 24, color: false });
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
