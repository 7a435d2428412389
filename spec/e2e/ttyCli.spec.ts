import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { BIN, ROOT, combinedLine, writeLog } from '../helpers/cli.js';
import { startTmux, tmuxTestOptions, type TmuxSession } from '../helpers/tmux.js';

// The real command line in a real terminal (tmux): what a user sees on a TTY.

const options = tmuxTestOptions();
const sessions: TmuxSession[] = [];
after(() => {
  for (const s of sessions) s.kill();
});

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
const node = `${quote(process.execPath)} ${quote(BIN)}`;

/** Runs `command` in a fresh terminal; `; cat` keeps the pane open after it exits (cat waits on the terminal). */
function terminal(command: string, width = 120, height = 40): TmuxSession {
  const session = startTmux(command, { width, height, cwd: ROOT, env: { NO_COLOR: '1' } });
  sessions.push(session);
  return session;
}

/** 25 s of 30 lines/s (fires at a 10 req/s threshold), then 3 minutes of 1 line per 10 s (recovers). */
function burstLog(): string {
  const lines: string[] = [];
  for (let s = 0; s < 130; s++) for (let k = 0; k < (s < 125 ? 30 : 1); k++) lines.push(combinedLine(s));
  for (let s = 130; s < 330; s += 10) lines.push(combinedLine(s));
  return writeLog(lines);
}

test('--once on a terminal prints the plain blocks (alert included), not the live view', options, async () => {
  const tmux = terminal(`${node} ${quote(burstLog())} --once --top 1; echo EXIT=$?; cat`, 160, 200);
  const screen = await tmux.waitFor((s) => s.includes('EXIT='), 'the run to end');
  assert.match(screen, /^High traffic generated an alert - hits = \d+, triggered at 2026-01-01T00:\d\d:\d\dZ$/m);
  assert.match(screen, /^Traffic recovered - hits = \d+, recovered at /m);
  assert.match(screen, /^2026-01-01 00:00:00-00:00:10 UTC \| 300 hits \| /m);
  assert.match(screen, /^Summary: \d+ lines, \d+ parsed, 0 invalid, 0 late$/m);
  assert.match(screen, /^EXIT=0$/m);
  assert.doesNotMatch(screen, /● (OK|FIRING)/, 'no live view');
  assert.equal(tmux.pane('alternate_on'), '0');
});

test('tail -F | apachescan - on a terminal: the live view says follow, and how long ago the last line came', options, async () => {
  const log = writeLog([combinedLine(0)]);
  const tmux = terminal(`tail -n +1 -F ${quote(log)} | ${node} - --lateness 30; cat`);
  const screen = await tmux.waitFor((s) => /last line \d+s ago/.test(s), 'a second of silence', 15_000, { stable: false });
  const header = screen.split('\n')[0] ?? '';
  assert.match(header, / · follow · standard input · apachescan$/, header);
  assert.doesNotMatch(header, /replay/);
  assert.match(screen, /^current {2}2026-01-01 00:00:00 UTC {2}1 hit so far · last line \d+s ago$/m);
  appendFileSync(log, `${combinedLine(0)}\n`);
  await tmux.waitFor((s) => /2 hits so far · last line (just now|\ds ago)/.test(s), 'the new line', 15_000, { stable: false });
});

test(
  "a quiet log on the live view: the interval the clock closed is no longer current; the last minute's sections stay",
  options,
  async () => {
    const log = writeLog([combinedLine(0, { path: '/api/users' })]);
    const tmux = terminal(`${node} ${quote(log)} --no-checkpoint --interval 1 --lateness 0 --idle-timeout 1; cat`);
    await tmux.waitFor((s) => /1 hit so far/.test(s), 'the line in the open interval', 15_000, { stable: false });
    // The clock closes [0 s, 1 s), then an empty interval each second: wait for three of those.
    const quiet = (s: string): boolean => /^00:00:03 /m.test(s) && /^current /m.test(s) && /^top sections /m.test(s);
    const screen = await tmux.waitFor(quiet, 'three empty intervals closed by the clock', 20_000, { stable: false });
    assert.match(screen, /^current {2}– waiting for lines · last line \d+s ago$/m, 'no current interval while the log is quiet');
    assert.doesNotMatch(screen, /hits? so far/, 'not the closed interval with "0 hits so far"');
    assert.match(screen, /^top sections {2}last \d+s {2}00:00:00–00:00:0\d$/m);
    assert.match(screen, /^ {2}\/api {2}█+ 1$/m, "the line's section, still shown");
  },
);

test('--help is rendered to the terminal width', options, async () => {
  for (const width of [120, 60]) {
    const tmux = terminal(`${node} --help; echo EXIT=$?; cat`, width, 100);
    const screen = await tmux.waitFor((s) => s.includes('EXIT=0'), 'the help');
    const widest = Math.max(...screen.split('\n').map((line) => line.trimEnd().length));
    assert.ok(widest <= width, `${widest} columns on a ${width}-column terminal`);
    assert.ok(widest > width - 10, `uses the width: ${widest} of ${width} columns`);
    assert.match(screen, /\[number\]/);
    tmux.kill();
  }
});

test('Ctrl-C on the live view: the final view stays on the normal screen, with the Summary: line', options, async () => {
  const log = writeLog([combinedLine(0), combinedLine(1), combinedLine(2)]);
  // `trap : INT`: the shell outlives the Ctrl-C that the terminal sends to the whole foreground group.
  const tmux = terminal(`trap : INT; ${node} ${quote(log)} --no-checkpoint; echo EXIT=$?; cat`);
  await tmux.waitFor((s) => /3 hits so far/.test(s), 'the live view with the three lines', 15_000, { stable: false });
  assert.equal(tmux.pane('alternate_on'), '1');
  tmux.sendKeys('C-c');
  const screen = await tmux.waitFor((s) => s.includes('EXIT='), 'the run to end', 15_000);
  assert.match(screen, /^Summary: 3 lines, 3 parsed, 0 invalid, 0 late$/m);
  assert.match(screen, /^EXIT=0$/m);
  assert.equal(tmux.pane('alternate_on'), '0');
});
