import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatAlert } from '../../src/sinks/textFormat.js';
import type { AlertEvent } from '../../src/types.js';
import { ROOT } from '../helpers/cli.js';
import { startTmux, tmuxTestOptions, type TmuxSession } from '../helpers/tmux.js';
import { HOSTILE_ESCAPED, scriptEvents } from '../helpers/ttyScript.js';

// The live view in a real terminal: tmux runs the demo (spec/helpers/ttyDemo.ts), which feeds
// the scripted events into createTtyView on its own stdout; capture-pane reads the screen back.
// APACHESCAN_UPDATE_SCREENSHOT=1 also saves the screen to samples/screenshots/tty-view.txt.

const options = tmuxTestOptions();
const DEMO = join(ROOT, 'dist', 'spec', 'helpers', 'ttyDemo.js');
const alerts = scriptEvents()
  .filter((e): e is AlertEvent => e.type === 'alert')
  .map(formatAlert);
const sessions: TmuxSession[] = [];
const SGR = /\x1b\[([0-9;]*)m/g;

after(() => {
  for (const s of sessions) s.kill();
});

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function demo(mode: 'view' | 'progress', env: Record<string, string | undefined>, size = { width: 120, height: 40 }): TmuxSession {
  const session = startTmux(`exec ${quote(process.execPath)} ${quote(DEMO)} ${mode}`, { ...size, env, cwd: ROOT });
  sessions.push(session);
  return session;
}

/** Waits for the whole script on screen: the last alert and the last totals. */
const complete = (screen: string): boolean => screen.includes(alerts[2] ?? '?') && screen.includes('lines 5480');

/** The SGR parameters that set a colour (30-49, 90-107; 38/48 extended). */
function colourCodes(screen: string): string[] {
  return [...screen.matchAll(SGR)].flatMap((m) => (m[1] ?? '').split(';')).filter((p) => /^(3\d|4\d|9[0-7]|10[0-7])$/.test(p));
}

test('the live view on a 120x40 terminal: header, rows, sparkline, alerts, escaped section, colours', options, async () => {
  const tmux = demo('view', { NO_COLOR: undefined });
  const screen = await tmux.waitFor(complete, 'the whole script');
  const lines = screen.split('\n');
  assert.match(
    lines[0] ?? '',
    /^● FIRING {2}rate\(2m\) 15\.78\/s > threshold 10\/s · follow · \/var\/log\/apache2\/access\.log · apachescan$/,
  );
  assert.equal(lines[1], 'current  2026-01-01 00:07:20 UTC  37 hits so far');
  assert.match(lines[2] ?? '', /^rate\/s {3}[▁▂▃▄▅▆▇█]{44} {2}peak 20\.9\/s · threshold 10\/s = ▄$/, 'sparkline with threshold marker');
  assert.match(screen, /^totals {3}lines 5480 · parsed 5474 · invalid 6 · late 8/m);
  assert.match(screen, /^time +hits +bytes +clients +2xx +3xx +4xx +5xx +invalid +late$/m);
  assert.match(screen, /^00:07:10 +191 +435\.1 KiB +27 +162 +10 +11 +8 +0 +0$/m);
  assert.ok((screen.match(/^\d\d:\d\d:\d\d +\d+ /gm) ?? []).length >= 20, 'the table fills the room');
  assert.match(screen, /^ {2}\/api +█+ 494$/m, 'section bars, summed over the last minute');
  assert.ok(screen.includes(`  ${HOSTILE_ESCAPED}  `), 'the hostile section name shows as literal text');
  for (const text of alerts) assert.ok(screen.includes(`  ${text}`), text);
  assert.ok(lines.length <= 41 && lines.every((l) => [...l].length <= 120), 'fits 120x40');
  assert.equal(tmux.pane('alternate_on'), '1', 'on the alternate screen');
  assert.equal(tmux.pane('cursor_flag'), '0', 'cursor hidden');

  const coloured = tmux.capture({ escapes: true });
  assert.ok(colourCodes(coloured).includes('31'), 'red for FIRING and over-threshold values');
  assert.ok(colourCodes(coloured).includes('32'), 'green below the threshold');
  const hostileLine = coloured.split('\n').find((l) => l.includes(HOSTILE_ESCAPED)) ?? '';
  assert.equal(colourCodes(hostileLine).includes('31'), false, 'the log did not turn the line red');

  if (process.env['APACHESCAN_UPDATE_SCREENSHOT'] === '1') {
    mkdirSync(join(ROOT, 'samples', 'screenshots'), { recursive: true });
    writeFileSync(join(ROOT, 'samples', 'screenshots', 'tty-view.txt'), screen);
  }
});

test('NO_COLOR=1: the same screen without any SGR colour code', options, async () => {
  const tmux = demo('view', { NO_COLOR: '1' });
  const screen = await tmux.waitFor(complete, 'the whole script');
  assert.ok(screen.startsWith('● FIRING'));
  const raw = tmux.capture({ escapes: true });
  assert.deepEqual(colourCodes(raw), []);
  assert.equal(raw.match(SGR), null, 'no SGR at all');
});

test('a resize repaints the view at the new size', options, async () => {
  const tmux = demo('view', { NO_COLOR: '1' });
  await tmux.waitFor(complete, 'the whole script');
  tmux.resize(80, 24);
  // Our own cut ends in … and the sparkline keeps its legend: tmux cropping would not do that.
  const screen = await tmux.waitFor(
    (s) => /^rate\/s {3}[▁▂▃▄▅▆▇█]{37} {2}peak 20\.9\/s · threshold 10\/s = ▄$/m.test(s),
    'the 80-column repaint',
  );
  const lines = screen.replace(/\n+$/, '').split('\n');
  assert.equal(lines.length, 24);
  assert.ok(lines.every((l) => [...l].length <= 80));
  assert.equal(lines[0], '● FIRING  rate(2m) 15.78/s > threshold 10/s · follow · /var/log/apache2/access.…');
  assert.match(screen, /^totals {3}lines 5480 .*\(closed intervals so fa…$/m);
  assert.equal((screen.match(/^\d\d:\d\d:\d\d +\d+ /gm) ?? []).length, 6, 'the table shrank to six rows');
  assert.ok(screen.includes('top sections') && screen.includes('alerts'));
});

test('close leaves the alternate screen, shows the cursor and prints the final view as plain text', options, async () => {
  const tmux = demo('view', {});
  await tmux.waitFor(complete, 'the whole script');
  process.kill(Number(tmux.pane('pane_pid')), 'SIGUSR2');
  const screen = await tmux.waitFor((s) => /^totals {3}lines 5480 · parsed 5474 · invalid 6 · late 8$/m.test(s), 'the final view');
  assert.equal(tmux.pane('alternate_on'), '0');
  assert.equal(tmux.pane('cursor_flag'), '1');
  assert.ok(screen.startsWith('● FIRING'), 'the whole final view stays visible');
  for (const text of alerts) assert.ok(screen.includes(text));
  assert.equal(tmux.capture({ escapes: true }).match(SGR), null, 'plain text');
});

test('the progress bar redraws in place on stderr and is cleared when done', options, async () => {
  const tmux = demo('progress', {});
  const screen = await tmux.waitFor((s) => / 60% /.test(s), 'the bar at 60%', 10_000, { stable: false });
  const bar = screen.split('\n').filter((l) => l.includes('catching up'));
  assert.equal(bar.length, 1, 'one line, redrawn in place');
  assert.match(bar[0] ?? '', /^catching up \[█+░+\] +60% {2}\d+\.\d MB\/s {2}ETA \d+:\d\d {2}150\.0\/250\.0 MB$/);
  process.kill(Number(tmux.pane('pane_pid')), 'SIGUSR2');
  const done = await tmux.waitFor((s) => s.includes('demo: progress done'), 'the bar to finish');
  assert.equal(done.includes('catching up'), false, 'cleared');
  assert.equal(done.split('\n')[0], 'demo: progress done');
});
