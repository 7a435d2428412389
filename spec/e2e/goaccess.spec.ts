/**
 * Cross-check against GoAccess 1.7 (`/usr/bin/goaccess`, Debian package `goaccess`; CI installs
 * it): the same log through `goaccess --log-format=COMBINED` and `apachescan --once --json`.
 *
 * They count differently, for reasons each asserted here rather than papered over with numbers:
 * GoAccess's COMBINED format requires the referer and user-agent fields, so a Common line (no
 * referer, no agent) is a failed line to GoAccess and a record to apachescan's `auto` format.
 * Once Common lines are set aside, valid lines, failed lines, bytes and status classes agree
 * exactly on a realistic generated log. The second test pins down, line by line, the rarer
 * disagreements (status codes, impossible dates, host names, byte counts, whitespace lines).
 *
 * `--no-global-config` keeps /etc/goaccess/goaccess.conf (crawler, static-file and 444 settings)
 * out of the comparison; `LC_ALL=C` fixes the month names GoAccess's strptime accepts.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBlankLine, resolveFormat } from '../../src/parse/index.js';
import { generateLog } from '../../bench/generateLog.js';
import { ndjson, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'apachescan-goaccess-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Whether goaccess can run here; in CI its absence is a failure, elsewhere the tests skip. */
function goaccessAvailable(t: { skip(message: string): void }): boolean {
  const probe = spawnSync('goaccess', ['--version'], { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return true;
  const why = `goaccess is not installed (${probe.error?.message ?? `exit ${probe.status}`})`;
  if (process.env['CI']) assert.fail(`${why}: CI must install the Debian package goaccess (see .ci/run)`);
  t.skip(`${why}; install the goaccess package to run this test`);
  return false;
}

interface GoAccessReport {
  general: { total_requests: number; valid_requests: number; failed_requests: number; bandwidth: number };
  status_codes: { data: Array<{ data: string; hits: { count: number } }> };
  hosts: { data: Array<{ data: string }> };
}

function goaccess(log: string): GoAccessReport {
  const out = join(dir, `report-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const result = spawnSync('goaccess', [log, '--log-format=COMBINED', '--no-global-config', '--no-progress', '-o', out], {
    env: { ...process.env, LC_ALL: 'C' },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `goaccess failed: ${result.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')) as GoAccessReport;
}

/** `{ "2xx": n, ... }` from GoAccess's status panel (`"2xx Success"` -> `2xx`). */
function goaccessClasses(report: GoAccessReport): Record<string, number> {
  const classes: Record<string, number> = {};
  for (const row of report.status_codes.data) classes[row.data.slice(0, 3)] = row.hits.count;
  return classes;
}

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

test('GoAccess agrees with apachescan on a realistic log once Common lines are set aside', async (t) => {
  if (!goaccessAvailable(t)) return;
  const lines = [
    ...generateLog({
      lines: 20_000,
      seed: 1_729,
      start: Date.UTC(2025, 2, 1),
      malformed: 0.01,
      common: 0.1,
      altZone: 0.05,
      altZoneMinutes: -300,
      disorder: 0.02,
      late: 0.001,
    }),
  ];
  const log = join(dir, 'generated.log');
  writeFileSync(log, lines.map((l) => `${l}\n`).join(''));
  assert.ok(!lines.some((l) => l !== '' && isBlankLine(l)), 'no whitespace-only lines (GoAccess counts those as failed)');

  const once = await runCli([log, '--once', '--json', '--lateness', '100000000']);
  assert.equal(once.code, 0, once.stderr);
  const events = ndjson(once.stdout);
  const summary = events.at(-1) as { type: string; lines: number; parsed: number; invalid: number; late: number };
  assert.equal(summary.type, 'summary');
  assert.equal(summary.late, 0);
  let bytes = 0;
  const classes: Record<string, number> = {};
  for (const e of events) {
    if (e['type'] !== 'stats') continue;
    bytes += e['bytes'] as number;
    for (const [cls, n] of Object.entries(e['status'] as Record<string, number>)) classes[cls] = (classes[cls] ?? 0) + n;
  }

  // Common lines: records under the strict Common LogFormat (nothing after %b; the named
  // `common` also takes fields after it).
  const common = resolveFormat('%h %l %u %t "%r" %>s %b');
  let commonLines = 0;
  let commonBytes = 0;
  const commonClasses: Record<string, number> = {};
  for (const line of lines) {
    const parsed = common(line);
    if (parsed.type !== 'record') continue;
    commonLines++;
    commonBytes += parsed.bytes;
    commonClasses[statusClass(parsed.status)] = (commonClasses[statusClass(parsed.status)] ?? 0) + 1;
  }
  assert.ok(commonLines > 1000 && summary.invalid > 100, `the log has Common (${commonLines}) and malformed (${summary.invalid}) lines`);

  const report = goaccess(log);
  const g = report.general;
  t.diagnostic(
    `goaccess ${JSON.stringify({ total: g.total_requests, valid: g.valid_requests, failed: g.failed_requests, bandwidth: g.bandwidth })}; ` +
      `apachescan ${JSON.stringify({ ...summary, bytes })}; Common lines ${commonLines} (${commonBytes} bytes)`,
  );
  assert.equal(g.total_requests, summary.lines, 'both see every non-empty line');
  assert.equal(g.valid_requests, summary.parsed - commonLines, 'GoAccess valid = apachescan records that are not Common lines');
  assert.equal(g.failed_requests, summary.invalid + commonLines, 'GoAccess failed = apachescan invalid + Common lines');
  assert.equal(g.bandwidth, bytes - commonBytes, 'bytes agree once Common lines are set aside (`-` is 0 for both)');
  const expected: Record<string, number> = {};
  for (const [cls, n] of Object.entries(classes)) if (n - (commonClasses[cls] ?? 0) > 0) expected[cls] = n - (commonClasses[cls] ?? 0);
  assert.deepEqual(goaccessClasses(report), expected, 'status classes agree once Common lines are set aside');
});

/** A Combined line from host `host` with some parts replaced. */
function line(host: string, parts: { stamp?: string; request?: string; status?: string; bytes?: string; tail?: string } = {}): string {
  const {
    stamp = '01/Mar/2025:10:00:00 +0000',
    request = 'GET /x HTTP/1.1',
    status = '200',
    bytes = '512',
    tail = ' "-" "agent/1.0"',
  } = parts;
  return `${host} - - [${stamp}] "${request}" ${status} ${bytes}${tail}`;
}

type Verdict = 'record' | 'invalid' | 'blank';

/**
 * Lines on which the two tools may disagree: what apachescan (`auto`) and GoAccess 1.7
 * (`COMBINED`) make of each, and why. Each line GoAccess should accept has its own host, so the
 * hosts panel shows which lines it counted.
 */
const EDGES: ReadonlyArray<{ line: string; apachescan: Verdict; goaccess: 'valid' | 'failed' | 'ignored'; why: string }> = [
  {
    line: line('10.77.0.1', { tail: '' }),
    apachescan: 'record',
    goaccess: 'failed',
    why: 'Common line: COMBINED requires referer and agent',
  },
  {
    line: line('10.77.0.2', { tail: ' "-" "agent/1.0" "extra" 0.123' }),
    apachescan: 'record',
    goaccess: 'valid',
    why: 'trailing fields are ignored by both',
  },
  { line: line('10.77.0.3', { tail: ' "-"' }), apachescan: 'record', goaccess: 'valid', why: 'referer without agent: both accept' },
  {
    line: line('10.77.0.4', { status: '999' }),
    apachescan: 'record',
    goaccess: 'failed',
    why: 'GoAccess takes statuses 100-599 only; apachescan any three digits (class 9xx)',
  },
  { line: line('10.77.0.5', { status: '600' }), apachescan: 'record', goaccess: 'failed', why: 'same: 600 is outside 100-599' },
  { line: line('10.77.0.6', { status: '100' }), apachescan: 'record', goaccess: 'valid', why: '1xx is valid for both' },
  {
    line: line('10.77.0.7', { stamp: '31/Feb/2025:10:00:00 +0000' }),
    apachescan: 'invalid',
    goaccess: 'valid',
    why: 'impossible date: GoAccess strptime does not check the day against the month',
  },
  {
    line: line('10.77.0.8', { stamp: '29/Feb/2025:10:00:00 +0000' }),
    apachescan: 'invalid',
    goaccess: 'valid',
    why: '29 Feb of a common year: same',
  },
  {
    line: line('10.77.0.9', { stamp: '01/Mar/2025:10:00:00 +9900' }),
    apachescan: 'invalid',
    goaccess: 'valid',
    why: 'GoAccess skips the UTC offset (%^), apachescan rejects offsets outside -1200..+1400',
  },
  {
    line: line('10.77.0.10', { stamp: '1/Mar/2025:10:00:00 +0000' }),
    apachescan: 'invalid',
    goaccess: 'valid',
    why: "one-digit day: strptime accepts it, apachescan wants Apache's two digits",
  },
  {
    line: line('10.77.0.11', { stamp: '01/mar/2025:10:00:00 +0000' }),
    apachescan: 'invalid',
    goaccess: 'valid',
    why: 'lower-case month: strptime is case-insensitive',
  },
  {
    line: line('10.77.0.12', { stamp: '01/Mar/2025:25:00:00 +0000' }),
    apachescan: 'invalid',
    goaccess: 'failed',
    why: 'hour 25: both reject',
  },
  {
    line: line('crawler.example.org'),
    apachescan: 'record',
    goaccess: 'failed',
    why: 'GoAccess requires an IP address in %h (no HostnameLookups)',
  },
  {
    line: line('999.1.1.1'),
    apachescan: 'record',
    goaccess: 'failed',
    why: 'not a valid IPv4 address for GoAccess; apachescan does not validate hosts',
  },
  { line: line('2001:db8::77'), apachescan: 'record', goaccess: 'valid', why: 'IPv6: both accept' },
  {
    line: line('10.77.0.13', { bytes: '1.5' }),
    apachescan: 'invalid',
    goaccess: 'valid',
    why: 'non-integer bytes: GoAccess reads a number prefix, apachescan wants digits',
  },
  { line: line('10.77.0.14', { bytes: '-' }), apachescan: 'record', goaccess: 'valid', why: '`-` bytes: 0 for both' },
  {
    line: line('10.77.0.15', { request: '-', status: '408', bytes: '-' }),
    apachescan: 'record',
    goaccess: 'valid',
    why: 'request `-` (timeout): both accept',
  },
  {
    line: line('10.77.0.16', { request: 'GET /a\\"b HTTP/1.1' }),
    apachescan: 'record',
    goaccess: 'valid',
    why: 'escaped quote in the request: both accept',
  },
  { line: line('10.77.0.17', { status: 'abc' }), apachescan: 'invalid', goaccess: 'failed', why: 'status not a number: both reject' },
  {
    line: `\uFEFF${line('10.77.0.18')}`,
    apachescan: 'record',
    goaccess: 'failed',
    why: 'byte-order mark before the line: apachescan skips it, GoAccess does not',
  },
  { line: '   ', apachescan: 'blank', goaccess: 'failed', why: 'whitespace-only line: apachescan ignores it, GoAccess counts it failed' },
  { line: '', apachescan: 'blank', goaccess: 'ignored', why: 'empty line: ignored by both (not in the GoAccess total either)' },
];

test('where GoAccess and apachescan disagree on a line, and why', (t) => {
  if (!goaccessAvailable(t)) return;
  const auto = resolveFormat('auto');
  for (const edge of EDGES) {
    const verdict: Verdict = isBlankLine(edge.line) ? 'blank' : auto(edge.line).type;
    assert.equal(verdict, edge.apachescan, `apachescan on ${JSON.stringify(edge.line)} (${edge.why})`);
  }
  // GoAccess gives up on a log whose first lines all fail: start with good lines.
  const good = ['10.77.1.1', '10.77.1.2', '10.77.1.3'].map((h) => line(h));
  const log = join(dir, 'edges.log');
  writeFileSync(log, [...good, ...EDGES.map((e) => e.line)].map((l) => `${l}\n`).join(''));
  const report = goaccess(log);
  const nonEmpty = EDGES.filter((e) => e.goaccess !== 'ignored');
  const accepted = nonEmpty.filter((e) => e.goaccess === 'valid');
  assert.deepEqual(
    { total: report.general.total_requests, valid: report.general.valid_requests, failed: report.general.failed_requests },
    { total: good.length + nonEmpty.length, valid: good.length + accepted.length, failed: nonEmpty.length - accepted.length },
  );
  const hostOf = (l: string) => l.replace(/^\uFEFF/, '').split(' ')[0] ?? '';
  assert.deepEqual(
    report.hosts.data.map((h) => h.data).sort(),
    [...good, ...accepted.map((e) => e.line)].map(hostOf).sort(),
    'the lines GoAccess counted are exactly those expected',
  );
});
