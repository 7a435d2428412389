/**
 * What the command line says about input it cannot read as an access log: invalid lines by
 * reason and examples (--show-invalid), a run where nothing parses (exit 2, the first line and
 * why), gzip files, and names and lines with control characters or bidi overrides.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ndjson, runCli, writeLog, combinedLine } from '../helpers/cli.js';
import { influxdAvailable, startInfluxServer, type InfluxServer } from '../helpers/influxServer.js';
import { freePort } from '../helpers/system.js';
import { startFollower, stopFollowers } from '../helpers/follower.js';
import { tempDir } from '../helpers/tempDir.js';

const servers: InfluxServer[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});

const MIXED = [
  combinedLine(1),
  'not a log line',
  '10.0.0.1 - - [01/Jan/2026:00:00:02 -1800] "GET / HTTP/1.1" 200 1',
  '10.0.0.1 - - [01/Jan/2026:00:00:02 +0000] "GET / HTTP/1.1" 2x0 1',
  '10.0.0.1 - - [01/Jan/2026:00:00:02 +0000] "GET / HTTP/1.1" 200 1x',
  '10.0.0.1 - - [01/Jan/2100:00:00:02 +0000] "GET / HTTP/1.1" 200 1',
  `10.0.0.1 - - [01/Jan/2026:00:00:03 +0000] "GET /${'x'.repeat(70_000)} HTTP/1.1" 200 1`,
  'more junk',
  combinedLine(4),
  combinedLine(25),
];
const REASONS = { no_match: 2, bad_time: 1, bad_status: 1, bad_bytes: 1, future_time: 1, overlong: 1 };

test('invalid lines by reason: in the summary and stats events, alike from the file engine (--once), the per-line one (--show-invalid) and standard input', async () => {
  const file = writeLog(MIXED);
  for (const extra of [[], ['--show-invalid', '1']]) {
    const { code, stdout } = await runCli([file, '--once', '--json', ...extra]);
    assert.equal(code, 0);
    const events = ndjson(stdout);
    assert.deepEqual(events.at(-1), { type: 'summary', lines: 10, parsed: 3, invalid: 7, late: 0, invalidReasons: REASONS });
    const stats = events.filter((e) => e['type'] === 'stats');
    assert.deepEqual(
      stats.map((e) => e['invalidReasons'] ?? null),
      [REASONS, null, null],
    );
  }
  const piped = await runCli(['-', '--once', '--json'], { stdin: MIXED.join('\n') });
  assert.deepEqual(ndjson(piped.stdout).at(-1)?.['invalidReasons'], REASONS);
  const text = await runCli([file, '--once']);
  assert.match(
    text.stdout,
    /^Summary: 10 lines, 3 parsed, 7 invalid \(2 not in the log format, 1 bad date or UTC offset, 1 bad status, 1 bad byte count, 1 dated more than a day ahead, 1 longer than 64 KiB\), 0 late$/m,
  );
});

test('--show-invalid N prints up to N invalid lines with their reason on stderr, escaped', async () => {
  const evil = 'evil \u001b[2J\u202egnp.exe\u0007 line';
  const file = writeLog([combinedLine(1), evil, 'second junk', 'third junk', combinedLine(2)]);
  const { code, stdout, stderr } = await runCli([file, '--once', '--show-invalid', '2']);
  assert.equal(code, 0);
  assert.equal(
    stderr,
    'apachescan: invalid line (not in the log format): evil \\x1b[2J\\u{202e}gnp.exe\\x07 line\napachescan: invalid line (not in the log format): second junk\n',
  );
  assert.match(stdout, /^Summary: 5 lines, 2 parsed, 3 invalid/m);
  const none = await runCli([file, '--once']);
  assert.equal(none.stderr, '', 'no examples unless asked');
});

test('most invalid lines parse with another named format: one line names it after the summary, exit 0', async () => {
  const vhost = (s: number): string => `www.example.com:443 ${combinedLine(s)}`;
  const lines = [vhost(1), vhost(2), ...Array.from({ length: 17 }, (_, i) => combinedLine(i + 3)), 'junk'];
  const { code, stdout, stderr } = await runCli([writeLog(lines), '--once', '--format', 'vhost_combined']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^Summary: 20 lines, 2 parsed, 18 invalid/m);
  assert.equal(
    stderr,
    "apachescan: 18 of 20 lines are invalid with --format vhost_combined; most of them parse with --format auto: is that the log's format?\n",
  );
  // Not when the invalid lines are garbage, or few of them parse elsewhere.
  const garbage = await runCli([writeLog([combinedLine(1), 'junk', 'more junk', combinedLine(2)]), '--once']);
  assert.equal(garbage.stderr, '');
  const fewElsewhere = await runCli([writeLog([vhost(1), 'junk', 'more junk', combinedLine(2)]), '--once', '--format', 'vhost_combined']);
  assert.equal(fewElsewhere.stderr, '');
});

test('an empty --since/--until range is not a format problem: it says no line is in the range, exit 0', async () => {
  const lines = [combinedLine(1), combinedLine(2), 'junk'];
  const { code, stdout, stderr } = await runCli([writeLog(lines), '--once', '--since', '2026-02-01']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^Summary: 1 line, 0 parsed, 1 invalid .*, 2 outside --since\/--until$/m);
  assert.equal(stderr, 'apachescan: no line in the range of --since/--until (2 lines outside it, 1 invalid)\n');
  const json = await runCli([writeLog([combinedLine(1)]), '--once', '--json', '--until', '2025-01-01']);
  assert.equal(json.code, 0);
  assert.equal(ndjson(json.stdout).at(-1)?.['outOfRange'], 1);
  assert.equal(json.stderr, 'apachescan: no line in the range of --since/--until (1 line outside it)\n');
});

test('nothing parses: the summary, then one line with the first line and why, exit 2', async () => {
  const dir = tempDir();
  const binary = join(dir, 'ls.bin');
  copyFileSync(process.execPath, binary);
  const cases: Array<[string[], RegExp]> = [
    [
      [writeLog(['garbage one', 'garbage two'])],
      /^apachescan: nothing parsed in .*access\.log \(2 lines, all invalid with --format auto\); the first \(not in the log format\): garbage one\n$/,
    ],
    [
      [writeLog([combinedLine(1)]), '--format', '%h %l %u %t "%r" %>s %b'],
      /\(1 line, all invalid with --format %h %l %u %t "%r" %>s %b; most parse with --format auto\); the first \(bad byte count\): 10\.0\.0\.1 - - \[01\/Jan\/2026:00:00:01 \+0000\] /,
    ],
    [
      [writeLog(['10.0.0.1 - - [01/Jan/2026:00:00:01 +0000] "GET / HTTP/1.1" 200 1']), '--format', 'combined'],
      /^apachescan: nothing parsed in .* \(1 line, all invalid with --format combined; most parse with --format auto\); the first \(not in the log format\): /,
    ],
    [[writeLog(['1.2.3.4 - - [01/Jan/2026:00:00:01 -1800] "GET / HTTP/1.1" 200 1'])], /\(bad date or UTC offset\)/],
    [
      [binary],
      /^apachescan: nothing parsed in .*ls\.bin \(\d+ lines, all invalid with --format auto\); the first \(not in the log format\): \\x7fELF/,
    ],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await runCli([...args, '--once']);
    assert.equal(code, 2, stderr);
    assert.match(stderr, message);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.ok(stderr.length < 400, 'a line cut to a readable length');
    assert.match(stdout, /^Summary: \d+ lines?, 0 parsed, \d+ invalid/m);
  }
  const empty = await runCli([writeLog([]), '--once']);
  assert.equal(empty.code, 0, 'an empty log is not an error');
});

test('gzip: read transparently with --once, named in follow mode and on standard input', async () => {
  const lines = [combinedLine(1), combinedLine(2), combinedLine(12)];
  const gz = join(tempDir(), 'access.log.1.gz');
  writeFileSync(gz, gzipSync(lines.map((l) => `${l}\n`).join('')));
  const once = await runCli([gz, '--once', '--json']);
  assert.equal(once.code, 0, once.stderr);
  assert.deepEqual(ndjson(once.stdout).at(-1), { type: 'summary', lines: 3, parsed: 3, invalid: 0, late: 0 });
  const follow = await runCli([gz, '--no-checkpoint']);
  assert.equal(follow.code, 2);
  assert.match(
    follow.stderr,
    /^apachescan: .*access\.log\.1\.gz is gzip-compressed and cannot be followed; read it with --once \(or zcat FILE \| apachescan -\)\n$/,
  );
  const piped = await runCli(['-', '--once'], { stdin: gzipSync(lines.join('\n')).toString('latin1') });
  assert.equal(piped.code, 2);
  assert.match(
    piped.stderr,
    /^apachescan: nothing parsed in standard input: it is gzip-compressed; read it with zcat FILE \| apachescan -\n$/,
  );
  const corrupt = join(tempDir(), 'bad.gz');
  writeFileSync(corrupt, Buffer.concat([gzipSync('x'.repeat(1000)).subarray(0, 12), Buffer.from('garbage after the header')]));
  const broken = await runCli([corrupt, '--once']);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /^apachescan: cannot decompress .*bad\.gz: /);
});

test('file names with control characters and bidi overrides are escaped on stderr', async () => {
  const dir = tempDir();
  const name = join(dir, 'x\u202egol.exe\u001b[31m');
  const missing = await runCli([name, '--once']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `apachescan: cannot read ${dir}/x\\u{202e}gol.exe\\x1b[31m: no such file\n`);
  writeFileSync(name, 'junk\n');
  const junk = await runCli([name, '--once']);
  assert.match(junk.stderr, /^apachescan: nothing parsed in .*x\\u\{202e\}gol\.exe\\x1b\[31m \(/);
  assert.doesNotMatch(junk.stderr + missing.stderr, /[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]/);
});

test('section names with bidi overrides are escaped in text output', async () => {
  const { stdout } = await runCli([writeLog([combinedLine(1, { path: '/\u202eevil/x' })]), '--once']);
  assert.ok(stdout.includes('top: /\\u{202e}evil 1'), stdout);
  assert.doesNotMatch(stdout, /\u202e/);
});

test('NDJSON: invisible characters from the log are written as \\u escapes, the same JSON value', async () => {
  const name = '/\u202eevil\u200b\u2028\u{e0041}';
  const { stdout } = await runCli([writeLog([combinedLine(1, { path: `${name}/x` })]), '--once', '--json']);
  assert.doesNotMatch(stdout, /[\u202e\u200b\u2028]|\u{e0041}/u);
  assert.ok(stdout.includes('"name":"/\\u202eevil\\u200b\\u2028\\udb40\\udc41"'), stdout);
  assert.equal((ndjson(stdout)[0]?.['sections'] as Array<{ name: string }> | undefined)?.[0]?.name, name);
});

test('--once --influx with InfluxDB down: the points not delivered make exit 1, after --influx-timeout', async () => {
  const port = await freePort();
  const file = writeLog([combinedLine(1), combinedLine(12)]);
  const { code, stderr, stdout } = await runCli([
    file,
    '--once',
    '--influx',
    `http://127.0.0.1:${port}/write?db=web`,
    '--influx-timeout',
    '0',
  ]);
  assert.equal(code, 1, stderr);
  assert.match(stdout, /^Summary: 2 lines, 2 parsed/m);
  assert.match(
    stderr,
    /^apachescan: \d+ of \d+ InfluxDB point\(s\) were not delivered to http:\/\/127\.0\.0\.1:\d+\/write\?db=web\S* \(--influx-timeout sets how long to keep trying at exit\)$/m,
  );
  const bad = await runCli([file, '--once', '--influx-timeout', 'soon']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, "apachescan: --influx-timeout must be a number, got 'soon'\n");
});

test('--once --influx with InfluxDB up: every point delivered, exit 0', {
  skip: influxdAvailable() ? false : 'influxd not installed',
}, async () => {
  const server = await startInfluxServer();
  servers.push(server);
  const file = writeLog([combinedLine(1), combinedLine(12)]);
  const { code, stderr } = await runCli([file, '--once', '--influx', `${server.url}/write?db=web`]);
  assert.equal(code, 0, stderr);
  const rows = await server.rows('SELECT * FROM "apachescan_interval"');
  assert.equal(rows.length, 2);
});

test('following a log where nothing parses: said once after 100 lines, while following; exit 2 at the end', async () => {
  const log = join(tempDir(), 'access.log');
  writeFileSync(log, Array.from({ length: 101 }, (_, i) => `junk ${i}\n`).join(''));
  const follower = startFollower([log, '--no-checkpoint', '--json']);
  try {
    await follower.waitFor('the warning', () => follower.stderr().includes('are all invalid'));
    assert.equal(follower.exited(), false, 'still following');
    const exit = await follower.stop('SIGINT');
    const lines = follower.stderr().trim().split('\n');
    assert.equal(
      lines[0],
      `apachescan: the first 100 lines of ${log} are all invalid with --format auto (still following); the first (not in the log format): junk 0`,
    );
    assert.match(
      lines[1] ?? '',
      /^apachescan: nothing parsed in .*access\.log \(101 lines, all invalid with --format auto\); the first \(not in the log format\): junk 0$/,
    );
    assert.equal(lines.length, 2);
    assert.equal(exit.code, 2);
  } finally {
    await stopFollowers();
  }
});

test('following a log in which a line parsed: no early warning, however many invalid lines follow', async () => {
  const log = join(tempDir(), 'access.log');
  writeFileSync(log, [combinedLine(1), ...Array.from({ length: 150 }, (_, i) => `junk ${i}`)].map((l) => `${l}\n`).join(''));
  const follower = startFollower([log, '--no-checkpoint', '--json', '--lateness', '0', '--idle-timeout', '1']);
  try {
    await follower.waitFor('the window closed by the clock', () =>
      follower.events.some((e) => e['type'] === 'stats' && e['invalid'] === 150),
    );
    const exit = await follower.stop('SIGINT');
    assert.equal(follower.stderr(), '');
    assert.equal(exit.code, 0);
  } finally {
    await stopFollowers();
  }
});

test('following a log in which a line parsed, its interval closed by the clock, then only invalid lines: no early warning', async () => {
  const log = join(tempDir(), 'access.log');
  writeFileSync(log, `${combinedLine(1)}\n`);
  const follower = startFollower([log, '--no-checkpoint', '--json', '--interval', '1', '--lateness', '0', '--idle-timeout', '1']);
  try {
    await follower.waitFor('the window closed by the clock', () => follower.events.some((e) => e['type'] === 'stats' && e['hits'] === 1));
    appendFileSync(log, Array.from({ length: 150 }, (_, i) => `junk ${i}\n`).join(''));
    await follower.waitFor(
      'the invalid lines counted',
      () => follower.events.reduce((n, e) => n + (e['type'] === 'stats' ? Number(e['invalid']) : 0), 0) === 150,
    );
    const exit = await follower.stop('SIGINT');
    assert.equal(follower.stderr(), '');
    assert.equal(exit.code, 0);
  } finally {
    await stopFollowers();
  }
});

test('follow mode: the name of a file still to be created is escaped in the waiting message', async () => {
  const dir = tempDir();
  const follower = startFollower([join(dir, 'new\u202e\u001b]0;x\u0007.log'), '--no-checkpoint']);
  try {
    await follower.waitFor('the waiting message', () => follower.stderr().includes('waiting for'));
    assert.match(follower.stderr(), /^apachescan: waiting for .*new\\u\{202e\}\\x1b\]0;x\\x07\.log\b/);
    assert.doesNotMatch(follower.stderr(), /[\u0007\u001b\u202e]/);
  } finally {
    await stopFollowers();
  }
});
