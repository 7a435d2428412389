import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

import { join } from 'node:path';
import { BIN, ROOT, combinedLine, ndjson, runCli, writeLog } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

const T0 = Date.UTC(2026, 0, 1);
const iso = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');

/** 20 req/s for 150 s, then 1 req/s until 400 s: fires, then recovers. Times in seconds. */
function burstTimes(): number[] {
  const times: number[] = [];
  for (let s = 0; s < 150; s++) for (let k = 0; k < 20; k++) times.push(s + k / 20);
  for (let s = 150; s < 400; s++) times.push(s);
  return times;
}

/** Independent oracle: evaluates the alert naively at every 10 s window end. */
function expectedAlerts(times: number[], threshold = 10, windowS = 120, recover = threshold) {
  const last = Math.max(...times);
  const out: Array<{ state: string; at: string; hits: number }> = [];
  let firing = false;
  for (let end = 10; end <= Math.floor(last / 10) * 10 + 10; end += 10) {
    const hits = times.filter((t) => t >= end - windowS && t < end).length;
    const rate = hits / windowS;
    if (!firing && rate > threshold) {
      firing = true;
      out.push({ state: 'firing', at: iso(end), hits });
    } else if (firing && rate <= recover) {
      firing = false;
      out.push({ state: 'recovered', at: iso(end), hits });
    }
  }
  return out;
}

test('--once --output json: exact stats, alert fired and recovered, balanced summary', async () => {
  const times = burstTimes();
  const file = writeLog([...times.map((t) => combinedLine(Math.floor(t), { path: t < 150 ? '/api/user' : '/home' })), 'not a log line']);
  const { code, stdout, stderr } = await runCli([file, '--once', '--output', 'json']);
  assert.equal(stderr, '');
  assert.equal(code, 0);
  const events = ndjson(stdout);
  const stats = events.filter((e) => e['type'] === 'stats');
  assert.equal(stats.length, 40, 'one stats event per 10 s window from 0 to 400 s');
  assert.deepEqual(stats[0], {
    type: 'stats',
    start: iso(0),
    end: iso(10),
    hits: 200,
    bytes: 20_000,
    clients: 1,
    hosts: 1,
    sections: [{ name: '/api', hits: 200 }],
    status: { '2xx': 200 },
    invalid: 0,
    late: 0,
  });
  const alerts = events.filter((e) => e['type'] === 'alert').map((e) => ({ state: e['state'], at: e['at'], hits: e['hits'] }));
  assert.deepEqual(alerts, expectedAlerts(times));
  assert.equal(alerts.length, 2);
  assert.deepEqual(events.at(-1), {
    type: 'summary',
    lines: times.length + 1,
    parsed: times.length,
    invalid: 1,
    late: 0,
    invalidReasons: { no_match: 1 },
  });
  // The stats event for a window comes before the alert evaluated at its end.
  const fireIndex = events.findIndex((e) => e['type'] === 'alert');
  assert.equal(events[fireIndex - 1]?.['end'], alerts[0]?.at);
});

test('text output uses the exact alert and recovery wording', async () => {
  const file = writeLog(burstTimes().map((t) => combinedLine(Math.floor(t))));
  const { code, stdout } = await runCli([file, '-l']);
  assert.equal(code, 0);
  const [fire, recover] = expectedAlerts(burstTimes());
  assert.ok(stdout.includes(`High traffic generated an alert - hits = ${fire?.hits}, triggered at ${fire?.at}\n`), stdout.slice(0, 500));
  assert.ok(stdout.includes(`Traffic recovered - hits = ${recover?.hits}, recovered at ${recover?.at}\n`));
  assert.match(stdout, /^Summary: 3250 lines, 3250 parsed, 0 invalid, 0 late$/m);
});

test('--threshold, --recover-threshold and --alert-window change when the alert fires and recovers', async () => {
  const times = burstTimes();
  const file = writeLog(times.map((t) => combinedLine(Math.floor(t))));
  const { stdout } = await runCli([file, '--once', '--json', '--threshold', '15', '--recover-threshold', '2', '--alert-window', '60']);
  const alerts = ndjson(stdout)
    .filter((e) => e['type'] === 'alert')
    .map((e) => ({ state: e['state'], at: e['at'], hits: e['hits'] }));
  assert.deepEqual(alerts, expectedAlerts(times, 15, 60, 2));
});

test('--interval and --top shape the stats events', async () => {
  const lines = [
    combinedLine(0, { path: '/a/1' }),
    combinedLine(1, { path: '/b' }),
    combinedLine(2, { path: '/b' }),
    combinedLine(65, { path: '/c' }),
  ];
  const { stdout } = await runCli([writeLog(lines), '--once', '--json', '--interval', '60', '--top', '1', '--alert-window', '120']);
  const stats = ndjson(stdout).filter((e) => e['type'] === 'stats');
  assert.deepEqual(
    stats.map((s) => [s['start'], s['hits'], s['sections']]),
    [
      [iso(0), 3, [{ name: '/b', hits: 2 }]],
      [iso(60), 1, [{ name: '/c', hits: 1 }]],
    ],
  );
});

test('--lateness (and --out-of-order) decide which out-of-order lines are late', async () => {
  const lines = [combinedLine(30), combinedLine(5), combinedLine(31)];
  const file = writeLog(lines);
  const strict = ndjson((await runCli([file, '--once', '--json', '--lateness', '0'])).stdout).at(-1);
  assert.deepEqual(strict, { type: 'summary', lines: 3, parsed: 3, invalid: 0, late: 1 });
  const lenient = ndjson((await runCli([file, '--once', '--json', '--out-of-order', '30'])).stdout).at(-1);
  assert.deepEqual(lenient, { type: 'summary', lines: 3, parsed: 3, invalid: 0, late: 0 });
});

test('--format common reads Common lines and fields after them; the LogFormat string spelt out is strict', async () => {
  const common = '127.0.0.1 - - [01/Jan/2026:00:00:01 +0000] "GET /x HTTP/1.0" 200 5';
  const file = writeLog([common, combinedLine(2), 'junk']);
  const named = ndjson((await runCli([file, '--once', '--json', '--format', 'common'])).stdout).at(-1);
  assert.deepEqual([named?.['lines'], named?.['invalid']], [3, 1], 'a Combined line is a Common line with fields after it');
  const strict = ndjson((await runCli([file, '--once', '--json', '--format', '%h %l %u %t "%r" %>s %b'])).stdout).at(-1);
  assert.deepEqual([strict?.['lines'], strict?.['invalid']], [3, 2], 'a Combined line is not the Common LogFormat');
});

test('a real nginx log (default main format, $request_time) parses with --format combined', async () => {
  const stamp = '01/Jan/2026:00:00:0';
  const lines = [
    `203.0.113.7 - - [${stamp}1 +0000] "GET /a/x HTTP/1.1" 200 612 "-" "curl/8.5.0" "-"`,
    `203.0.113.8 - alice [${stamp}2 +0000] "POST /b HTTP/2.0" 201 17 "https://r.example/" "Mozilla/5.0" "198.51.100.4, 10.0.0.1"`,
    `203.0.113.9 - - [${stamp}3 +0000] "GET /a HTTP/1.1" 304 0 "-" "Mozilla/5.0" 0.004`,
  ];
  const { code, stdout } = await runCli([writeLog(lines), '--once', '--json', '--format', 'combined']);
  assert.equal(code, 0);
  assert.deepEqual(ndjson(stdout).at(-1), { type: 'summary', lines: 3, parsed: 3, invalid: 0, late: 0 });
});

test('a custom LogFormat string is compiled', async () => {
  const line = '[01/Jan/2026:00:00:03 +0000] 10.1.1.1 "GET /shop/cart HTTP/1.1" 404 77 1234';
  const { code, stdout } = await runCli([writeLog([line]), '--once', '--json', '--format', '%t %h "%r" %>s %b %D']);
  assert.equal(code, 0);
  const [stats] = ndjson(stdout);
  assert.deepEqual(stats?.['sections'], [{ name: '/shop', hits: 1 }]);
  assert.deepEqual(stats?.['status'], { '4xx': 1 });
});

test('reads standard input with -', async () => {
  const input = [combinedLine(1), combinedLine(2), '', 'junk'].join('\n');
  const { code, stdout } = await runCli(['-', '--once', '--json'], { stdin: input });
  assert.equal(code, 0);
  assert.deepEqual(ndjson(stdout).at(-1), { type: 'summary', lines: 3, parsed: 2, invalid: 1, late: 0, invalidReasons: { no_match: 1 } });
});

test('-f/--file names the file', async () => {
  const file = writeLog([combinedLine(1)]);
  for (const flag of ['-f', '--file']) {
    const { code, stdout } = await runCli([flag, file, '--once', '--json']);
    assert.equal(code, 0);
    assert.deepEqual(ndjson(stdout).at(-1), { type: 'summary', lines: 1, parsed: 1, invalid: 0, late: 0 });
  }
});

/** A named pipe with no writer. */
function fifo(): string {
  const path = join(tempDir(), 'pipe.log');
  execFileSync('mkfifo', [path]);
  return path;
}

const userErrors: Array<[string, () => string[], RegExp]> = [
  ['missing file', () => [join(tempDir(), 'nope.log'), '--once'], /^apachescan: cannot read .*nope\.log: no such file\n$/],
  ['a directory', () => [tempDir(), '--once'], /^apachescan: .* is a directory, not a log file\n$/],
  // Opening a pipe blocks until a writer comes: refused before anything is opened (the file beside it is not half-read).
  [
    'a named pipe beside a file',
    () => [writeLog([combinedLine(1)]), fifo(), '--once'],
    /^apachescan: .*pipe\.log is a named pipe, not a log file \(read it as standard input: apachescan - < .*pipe\.log\)\n$/,
  ],
  ['an unreadable path', () => [`${writeLog(['x'])}/inside`, '--once'], /^apachescan: cannot read .*inside: .*\n$/],
  ['unknown option', () => ['--bogus'], /^apachescan: Unknown argument: bogus\n$/],
  ['bad number', () => [writeLog(['x']), '--interval', 'ten'], /^apachescan: --interval must be a number, got 'ten'\n$/],
  [
    'negative number',
    () => [writeLog(['x']), '--threshold', '-3'],
    /^apachescan: --threshold must be zero or a positive number, got '-3'\n$/,
  ],
  ['bad top', () => [writeLog(['x']), '--top', '2.5'], /^apachescan: --top must be a whole number >= 0, got '2.5'\n$/],
  ['bad output', () => [writeLog(['x']), '--output', 'xml'], /^apachescan: --output must be one of "text", "json", got "xml"\n$/],
  ['hexadecimal number', () => [writeLog(['x']), '--interval', '0x10'], /^apachescan: --interval must be a number, got '0x10'\n$/],
  ['exponent', () => [writeLog(['x']), '--top', '1e1'], /^apachescan: --top must be a number, got '1e1'\n$/],
  ['missing --interval value', () => [writeLog(['x']), '--once', '--interval'], /^apachescan: --interval needs a value\n$/],
  ['missing --threshold value', () => [writeLog(['x']), '--threshold', '--once'], /^apachescan: --threshold needs a value\n$/],
  ['missing --format value', () => [writeLog(['x']), '--once', '--format'], /^apachescan: --format needs a value\n$/],
  ['missing -o value', () => [writeLog(['x']), '--once', '-o'], /^apachescan: -o needs a value\n$/],
  ['missing --show-invalid value', () => [writeLog(['x']), '--once', '--show-invalid'], /^apachescan: --show-invalid needs a value\n$/],
  ['missing --on-alert value', () => [writeLog(['x']), '--once', '--on-alert'], /^apachescan: --on-alert needs a value\n$/],
  ['missing --alertmanager value', () => [writeLog(['x']), '--once', '--alertmanager'], /^apachescan: --alertmanager needs a value\n$/],
  ['missing --config value', () => [writeLog(['x']), '--once', '--config'], /^apachescan: --config needs a value\n$/],
  [
    'hexadecimal --alertmanager-resend',
    () => [writeLog(['x']), '--once', '--alertmanager-resend', '0x3'],
    /^apachescan: --alertmanager-resend must be a number, got '0x3'\n$/,
  ],
  ['unknown format directive', () => [writeLog(['x']), '--once', '--format', '%h %Q %t %>s'], /^apachescan: .*%Q.*\n$/],
  [
    'alert window not a multiple',
    () => [writeLog(['x']), '--alert-window', '25'],
    /^apachescan: --alert-window \(25\) must be a multiple of --interval \(10\)\n$/,
  ],
  [
    '--interval alone does not divide the default alert window',
    () => [writeLog(['x']), '--interval', '7'],
    /^apachescan: --interval 7 does not divide the default --alert-window 120: use an --interval that divides 120 \(1, 2, 3, 4, 5, 6, 8, 10, \.\.\.\) or give --alert-window a multiple of 7\n$/,
  ],
  [
    '--interval and --alert-window typed, not a multiple',
    () => [writeLog(['x']), '--interval', '7', '--alert-window', '120'],
    /^apachescan: --alert-window \(120\) must be a multiple of --interval \(7\)\n$/,
  ],
  [
    'recover above threshold',
    () => [writeLog(['x']), '--recover-threshold', '20'],
    /^apachescan: --recover-threshold \(20\) must not exceed --threshold \(10\)\n$/,
  ],
];

for (const [name, args, message] of userErrors) {
  test(`user error, ${name}: one line on stderr, exit 2, no stack trace`, async () => {
    const { code, stdout, stderr } = await runCli(args());
    assert.equal(code, 2);
    assert.match(stderr.replace(/\n(?!$)/g, ' '), message);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.doesNotMatch(stderr, /\bat .*\.js:\d+/);
    assert.equal(stdout, '');
  });
}

test('--help lists every option and exits 0', async () => {
  const { code, stdout } = await runCli(['--help']);
  assert.equal(code, 0);
  for (const flag of [
    '--once',
    '--output',
    '--json',
    '--format',
    '--interval',
    '--lateness',
    '--out-of-order',
    '--alert-window',
    '--threshold',
    '--recover-threshold',
    '--top',
    '-f/--file',
  ]) {
    assert.ok(stdout.includes(flag), `help mentions ${flag}`);
  }
});

test('--help when not on a terminal: 80 columns, numbers shown as [number], one line for the file', async () => {
  const { code, stdout } = await runCli(['--help']);
  assert.equal(code, 0);
  const lines = stdout.split('\n');
  assert.ok(
    lines.every((line) => line.length <= 80),
    lines.filter((line) => line.length > 80).join('\n'),
  );
  for (const flag of [
    '--interval',
    '--lateness',
    '--alert-window',
    '--threshold',
    '--recover-threshold',
    '--top',
    '--idle-timeout',
    '--show-invalid',
    '--influx-timeout',
    '--on-alert-timeout',
    '--alertmanager-resend',
  ]) {
    const block = helpBlock(stdout, flag);
    assert.match(block, /\[number\]/, block);
    assert.doesNotMatch(block, /\[string\]|default: "/, block);
  }
  assert.match(helpBlock(stdout, '--interval'), /\[default: 10\]/);
  assert.doesNotMatch(stdout, /file, f\b/);
  assert.match(stdout, /^ {2}file {2}log file to read/m);
});

/** The lines of the help for option `flag`: its row and the continuation rows. */
function helpBlock(help: string, flag: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s+(-\\w, )?${flag}\\b`).test(line));
  assert.ok(start >= 0, `help lists ${flag}`);
  let end = start + 1;
  // Continuation rows are indented past the switches column (2 or 6 spaces, then a dash).
  while (end < lines.length && /^ {7,}\S/.test(lines[end] ?? '')) end++;
  return lines.slice(start, end).join('\n');
}

test('control characters from the log never reach the terminal raw', async () => {
  const evil = combinedLine(1, { path: '/\u001b[2J\u0007evil/x' });
  const { stdout } = await runCli([writeLog([evil]), '--once']);
  assert.doesNotMatch(stdout, /[\u0000-\u0008\u000b-\u001f\u007f]/);
  assert.ok(stdout.includes('\\x1b[2J\\x07evil'), stdout);
});

test('a single line dated in the year 2100 neither freezes the engine nor makes later lines late', async () => {
  const future = '10.0.0.9 - - [01/Jan/2100:00:00:00 +0000] "GET /x HTTP/1.1" 200 1';
  const lines = [combinedLine(0), future, ...Array.from({ length: 50 }, (_, i) => combinedLine(i + 1))];
  // A frozen engine would be killed by runCli's timeout (code null).
  const { code, stdout } = await runCli([writeLog(lines), '--once', '--json'], { timeoutMs: 60_000 });
  assert.equal(code, 0);
  assert.deepEqual(ndjson(stdout).at(-1), {
    type: 'summary',
    lines: 52,
    parsed: 51,
    invalid: 1,
    late: 0,
    invalidReasons: { future_time: 1 },
  });
});

test('a gap of years in the log is bounded: a day of empty intervals, then a skip note', async () => {
  const lines = [combinedLine(-3 * 365 * 86_400), combinedLine(0)];
  const { code, stdout } = await runCli([writeLog(lines), '--once', '--json']);
  assert.equal(code, 0);
  const stats = ndjson(stdout).filter((e) => e['type'] === 'stats');
  // The first window, 8640 empty ones, the window after the skip, the one the watermark has not reached, the last.
  assert.ok(stats.length <= 8640 + 4, `${stats.length} stats events`);
  const skipped = stats.find((s) => typeof s['skipped'] === 'number');
  assert.ok(skipped !== undefined && (skipped['skipped'] as number) > 9_000_000);
  assert.equal(
    stats.reduce((n, s) => n + (s['hits'] as number), 0),
    2,
  );
});

test('text output: a gap of days is one "no traffic" line, not thousands of "0 hits" lines', async () => {
  const lines = [combinedLine(0), combinedLine(3 * 86_400 + 5)];
  const { code, stdout } = await runCli([writeLog(lines), '--once']);
  assert.equal(code, 0);
  assert.doesNotMatch(stdout, /\| 0 hits \|/);
  assert.match(stdout, /^2026-01-01 00:00:10 – 2026-01-04 00:00:00 UTC: no traffic for 2 days 23 h \(25,919 empty intervals\)$/m);
  assert.ok(stdout.split('\n').length < 12, stdout);
});

test('after a gap longer than the empty intervals emitted, a firing alert recovers when its window empties, not at the next data', async () => {
  // 1 s intervals: the 8640 empty ones emitted (2 h 24 min) are shorter than the 9000 s alert window.
  const lines = [...Array.from({ length: 1000 }, () => combinedLine(0)), combinedLine(3 * 86_400)];
  const { code, stdout } = await runCli([writeLog(lines), '--once', '--json', '-i', '1', '--alert-window', '9000', '-t', '0.1']);
  assert.equal(code, 0);
  const events = ndjson(stdout);
  const alerts = events.filter((e) => e['type'] === 'alert').map((e) => [e['state'], e['at']]);
  // 1000 / 9000 s > 0.1 fires at 00:00:01; the burst (at 00:00:00) leaves the window at 02:30:01.
  assert.deepEqual(alerts, [
    ['firing', '2026-01-01T00:00:01Z'],
    ['recovered', '2026-01-01T02:30:01Z'],
  ]);
  // The recovery comes before the stats event that reports the skip.
  const recovered = events.findIndex((e) => e['state'] === 'recovered');
  assert.equal(typeof events[recovered + 1]?.['skipped'], 'number');
  // The burst's window, 8640 empty ones, the one after the skip, the 10 s of lateness in 1 s windows, the last.
  const stats = events.filter((e) => e['type'] === 'stats').length;
  assert.ok(stats <= 8640 + 14, `${stats} stats events`);
});

test('the help printed without loading yargs is the one yargs renders now (no drift)', async () => {
  const { renderHelp } = await import('../../src/cli/createCli.js');
  const { code, stdout } = await runCli(['--help']);
  assert.equal(code, 0);
  assert.equal(stdout, `${await renderHelp()}\n`);
  const viaYargs = await runCli(['--help', '--top', '3']);
  assert.equal(viaYargs.stdout, stdout, 'the same text when yargs renders it');
});

test('--version and -V print the version without loading yargs, as yargs prints it (no drift)', async () => {
  const { readFileSync } = await import('node:fs');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const viaYargs = await runCli(['--version', '--top', '3']);
  assert.equal(viaYargs.code, 0);
  assert.equal(viaYargs.stdout, `${version}\n`);
  for (const flag of ['--version', '-V']) {
    const { code, stdout } = await runCli([flag]);
    assert.equal(code, 0);
    assert.equal(stdout, viaYargs.stdout, flag);
  }
});

test("--version through yargs is apachescan's from any working directory, not the nearest package.json's", async () => {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const other = tempDir();
  writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'another-project', version: '9.9.9' }));
  for (const cwd of [other, tempDir()]) {
    const run = spawnSync(process.execPath, [BIN, '--version', '--top', '3'], { cwd, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${version}\n`, cwd);
  }
});
