import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { asyncScheduler, lastValueFrom, take, toArray, type SchedulerLike } from 'rxjs';
import { monitor, type MonitorOptions } from '../../src/engine/monitor.js';
import { readLogFile } from '../../src/source/readLogFile.js';
import { toLines } from '../../operators/toLines.js';
import { MonitorOptionsError } from '../../src/errors.js';
import type { EngineProgress } from '../../src/engine/engineState.js';
import type { MonitorEvent, StatsEvent, SummaryEvent } from '../../src/types.js';
import { referenceMonitor } from '../helpers/reference.js';

/** A whole file through the engine, read in chunks of `chunkSize` from `startOffset` (`workers`: gone, ignored here). */
type MonitorFileOptions = MonitorOptions & { readonly startOffset?: number; readonly chunkSize?: number; readonly workers?: number };
function monitorFile(path: string, options: MonitorFileOptions = {}) {
  const { startOffset, chunkSize, workers: _workers, ...engine } = options;
  return monitor(
    readLogFile(path, { ...(startOffset === undefined ? {} : { startOffset }), ...(chunkSize === undefined ? {} : { chunkSize }) }),
    engine,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'apachescan-batch-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function writeLog(content: string | Buffer): string {
  const path = join(dir, `log-${files++}.log`);
  writeFileSync(path, content);
  return path;
}

/** The file's lines as plain strings. */
const readLines = (path: string) => readLogFile(path).pipe(toLines());

/** The operators one value at a time (string parser, records folded by name): see helpers/reference.ts. */
function reference(path: string, options: MonitorOptions): Promise<MonitorEvent[]> {
  return lastValueFrom(referenceMonitor(readLines(path), options).pipe(toArray()));
}

/** `monitor` on plain strings (no batch view: one record batch per line, the byte parser on each string). */
function perLine(path: string, options: MonitorOptions): Promise<MonitorEvent[]> {
  return lastValueFrom(monitor(readLines(path), options).pipe(toArray()));
}

function fast(path: string, options: MonitorFileOptions): Promise<MonitorEvent[]> {
  return lastValueFrom(monitorFile(path, options).pipe(toArray()));
}

/** Same events, same values, same key order (what `--output json` prints). */
async function assertSameEvents(path: string, options: MonitorOptions, tuning: MonitorFileOptions = {}): Promise<void> {
  const expected = await reference(path, options);
  assert.deepStrictEqual(await perLine(path, options), expected, `events of plain strings differ for ${JSON.stringify(options)}`);
  const actual = await fast(path, { ...options, ...tuning });
  assert.deepStrictEqual(actual, expected, `events differ for ${JSON.stringify({ ...options, ...tuning })}`);
  assert.deepStrictEqual(
    actual.map((e) => JSON.stringify(e)),
    expected.map((e) => JSON.stringify(e)),
  );
}

const TUNINGS: readonly MonitorFileOptions[] = [
  { workers: 0 },
  { workers: 0, chunkSize: 7 },
  { workers: 3, chunkSize: 61 },
  { workers: 0, chunkSize: 64 },
];
/** `workers` is still accepted (and ignored: one engine, no worker threads); tried once per content. */
const ONE_RANGE: MonitorFileOptions = { workers: 2 };

// --- handwritten edge cases ------------------------------------------------------------

const UA = '"Mozilla/5.0 (X11; Linux x86_64)"';

function combined(host: string, time: string, request: string, status = '200', bytes = '512', agent = UA): string {
  return `${host} - - [${time}] "${request}" ${status} ${bytes} "-" ${agent}`;
}
function common(host: string, time: string, request: string, status = '200', bytes = '512'): string {
  return `${host} - - [${time}] "${request}" ${status} ${bytes}`;
}
function at(second: number, zone = '+0000'): string {
  const h = Math.floor(second / 3600) % 24;
  const m = Math.floor(second / 60) % 60;
  const s = second % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `10/Oct/2026:${pad(h)}:${pad(m)}:${pad(s)} ${zone}`;
}

const EDGE_LINES: readonly string[] = [
  combined('192.168.0.1', at(36_000), 'GET /api/users?id=1 HTTP/1.1'),
  common('192.168.0.2', at(36_001), 'GET /api/users/2 HTTP/1.1', '404', '-'),
  combined('2001:db8::1', at(36_002), 'POST /login HTTP/2.0', '302', '0'),
  combined('::1', at(36_002, '+0200'), 'GET / HTTP/1.1'),
  combined('example.org', at(36_003, '-0500'), 'GET /?q=1 HTTP/1.1', '500'),
  '',
  '   ',
  '\t',
  'garbage that is not a log line',
  combined('10.0.0.1', at(36_004), 'GET /ünïcødé/path HTTP/1.1', '200', '1', '"Mözilla 🦊 \\"quoted\\""'),
  combined('hôte-ñ', at(36_004), 'GET /naïve?x=ü HTTP/1.1'),
  combined('10.0.0.2', '32/Oct/2026:13:55:36 +0000', 'GET /bad-day HTTP/1.1'),
  combined('10.0.0.2', '29/Feb/2026:13:55:36 +0000', 'GET /not-leap HTTP/1.1'),
  combined('10.0.0.2', '10/Foo/2026:13:55:36 +0000', 'GET /bad-month HTTP/1.1'),
  combined('10.0.0.2', '10/Oct/2026:24:00:00 +0000', 'GET /bad-hour HTTP/1.1'),
  combined('10.0.0.2', '10/Oct/2026:13:55:36 +1900', 'GET /bad-zone HTTP/1.1'),
  combined('10.0.0.2', '10/Oct/2026:13:55:36 -1800', 'GET /absurd-zone HTTP/1.1'),
  combined('10.0.0.2', '10/Oct/2026:13:55:36 +1401', 'GET /beyond-kiribati HTTP/1.1'),
  combined('10.0.0.2', '10/Oct/2026:13:55:36 0000', 'GET /no-sign HTTP/1.1'),
  combined('10.0.0.3', at(36_005), 'GET /s HTTP/1.1', '2000'),
  combined('10.0.0.3', at(36_005), 'GET /s HTTP/1.1', '099'),
  combined('10.0.0.3', at(36_005), 'GET /s HTTP/1.1', '200', '12a'),
  combined('10.0.0.3', at(36_005), 'GET /s HTTP/1.1', '200', '123456789012345'),
  combined('10.0.0.3', at(36_005), 'GET /s HTTP/1.1', '200', '1234567890123456'),
  combined('10.0.0.4', at(36_006), '-', '408'),
  combined('10.0.0.4', at(36_006), 'OPTIONS * HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'CONNECT example.com:443 HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'GET http://example.com/proxy/x HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'GET https://example.com?q HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'GET /http09'),
  combined('10.0.0.4', at(36_006), 'GET  /two-spaces HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'GET /a b c HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'GET /q\\"uote\\\\ HTTP/1.1'),
  combined('10.0.0.4', at(36_006), '\\x16\\x03\\x01', '400'),
  combined('10.0.0.4', at(36_006), 'GET /#frag HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'GET //double HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'G(T /paren HTTP/1.1'),
  combined('10.0.0.4', at(36_006), 'GET'),
  combined('10.0.0.4', at(36_006), ''),
  `10.0.0.5 - user name with spaces [${at(36_007)}] "GET /user HTTP/1.1" 200 5`,
  `10.0.0.5 - - [${at(36_007)}] "GET /nginx-extra HTTP/1.1" 200 5 "-" "ua" 0.003 "rid"`,
  `10.0.0.5 - - [${at(36_007)}] "GET /unterminated HTTP/1.1 200 5`,
  `10.0.0.5 - - [${at(36_007)}]  "GET /extra-space HTTP/1.1" 200 5`,
  `10.0.0.5 - - [${at(36_007)}] "GET /trailing-space HTTP/1.1" 200 5 `,
  ` - - [${at(36_007)}] "GET /empty-host HTTP/1.1" 200 5`,
  `example.com:80 10.0.0.6 - - [${at(36_008)}] "GET /vhost HTTP/1.1" 200 7 "-" "ua"`,
  `example.com:443 10.0.0.10 - - [${at(36_008)}] "GET /vhost-common HTTP/1.1" 200 7`,
  `example.com:443 10.0.0.11 - - [${at(36_008)}] "GET /vhost-extra HTTP/1.1" 200 7 "-" "ua" 0.003`,
  `example.com:4430000 10.0.0.12 - - [${at(36_008)}] "GET /port-too-long HTTP/1.1" 200 7 "-" "ua"`,
  `example.com: 10.0.0.12 - - [${at(36_008)}] "GET /no-port HTTP/1.1" 200 7 "-" "ua"`,
  `:80 10.0.0.12 - - [${at(36_008)}] "GET /no-name HTTP/1.1" 200 7 "-" "ua"`,
  `2001:db8::7 - - [${at(36_008)}] "GET /ipv6 HTTP/1.1" 200 7 "-" "ua"`,
  `fe80::1 - - [${at(36_008)}] "GET /ipv6-link HTTP/1.1" 200 7 "-" "ua"`,
  `héte.example:8080 10.0.0.13 - - [${at(36_008)}] "GET /vhost-utf8 HTTP/1.1" 200 7 "-" "ua"`,
  `10.0.0.7 - - [${at(36_008)}] "GET /long/${'x'.repeat(3000)} HTTP/1.1" 200 9 "-" "${'y'.repeat(5000)}"`,
  combined('10.0.0.8', at(35_000), 'GET /late HTTP/1.1'),
  combined('10.0.0.8', at(36_100), 'GET /later HTTP/1.1'),
  combined('10.0.0.8', at(36_030), 'GET /late-again HTTP/1.1'),
  `\uFEFF${combined('10.0.0.9', at(36_101), 'GET /bom-mid-file HTTP/1.1')}`,
  combined('10.0.0.9', at(36_101), 'GET /tab\there HTTP/1.1'),
  `${combined('10.0.0.9', at(36_200), 'GET /crlf HTTP/1.1')}\r`,
  `${combined('10.0.0.9', at(36_200), 'GET /two-cr HTTP/1.1')}\r\r`,
  '\r',
  `${common('10.0.0.9', at(36_201), 'GET /common-crlf HTTP/1.1')}\r`,
];

const EDGE_OPTIONS: readonly MonitorOptions[] = [
  {},
  { format: 'common' },
  { format: 'combined', interval: 1000, lateness: 0, alertWindow: 3000, threshold: 0.5, recoverThreshold: 0.2, top: 2 },
  { format: 'vhost_combined' },
  { format: '%h %l %u %t "%r" %>s %b' },
  { format: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"', top: 0 },
  { format: '%h %t "%r" %>s', interval: 5000, lateness: 60_000, alertWindow: 5000, threshold: 0 },
];

test('monitorFile: the events of the reference pipeline on handwritten edge cases, any chunking, with and without workers', async () => {
  const text = EDGE_LINES.join('\n');
  const utf8 = Buffer.from(text, 'utf8');
  const variants: ReadonlyArray<string | Buffer> = [
    `${text}\n`, // trailing newline
    text, // none
    `\uFEFF${text.replaceAll('\n', '\r\n')}`, // BOM, CRLF
    Buffer.concat([
      utf8,
      Buffer.from('\n'),
      Buffer.from([0x31, 0x20, 0xff, 0xfe, 0x80, 0x0a]),
      // Different bytes, one string: both hosts (and both sections) decode to U+FFFD.
      Buffer.from(
        `${combined('\xff', at(36_300), 'GET /\xff HTTP/1.1')}\n${combined('\xfe', at(36_300), 'GET /\xfe HTTP/1.1')}\n`,
        'latin1',
      ),
      Buffer.from(combined('\xff\xc3', at(36_300), 'GET /b\xe9d HTTP/1.1'), 'latin1'),
      Buffer.from([0xe2, 0x82]),
    ]),
  ];
  for (const content of variants) {
    const path = writeLog(content);
    for (const options of EDGE_OPTIONS) {
      for (const tuning of TUNINGS) await assertSameEvents(path, options, tuning);
    }
    await assertSameEvents(path, {}, ONE_RANGE);
    for (const workers of [0, 2]) await assertSameEvents(path, {}, { workers, chunkSize: 1 });
  }
});

test('monitorFile: empty file, blank-only file, BOM-only file, a lone partial BOM', async () => {
  for (const content of [
    '',
    '\n\n  \n\r\n',
    '\uFEFF',
    Buffer.from([0xef, 0xbb]),
    Buffer.from([0xef, 0xbb, 0xbf, 0x0a, 0xef, 0xbb, 0xbf]),
  ]) {
    const path = writeLog(content);
    for (const tuning of TUNINGS) await assertSameEvents(path, {}, tuning);
  }
  const events = await fast(writeLog(''), {});
  assert.deepStrictEqual(events, [{ type: 'summary', lines: 0, parsed: 0, invalid: 0, late: 0 }]);
});

test('monitorFile: lines around the longest line readLogFile keeps whole (64 KiB), with and without CR, across chunks', async () => {
  const head = `10.3.3.3 - - [${at(50_000)}] "GET /big HTTP/1.1" 200 1 "-" "`;
  const sized = (n: number, cr: string): string => `${head + 'u'.repeat(n - head.length - 1 - cr.length)}"${cr}`;
  const lines: string[] = [];
  for (const n of [65_535, 65_536, 65_537, 65_538, 200_000]) for (const cr of ['', '\r', '\r\r']) lines.push(sized(n, cr));
  lines.push(' '.repeat(70_000), combined('10.3.3.4', at(50_001), 'GET /after HTTP/1.1'));
  for (const last of ['', '\n', sized(65_537, '\r'), sized(66_000, '')]) {
    const path = writeLog(`${lines.join('\n')}\n${last}`);
    for (const tuning of [
      { workers: 0 },
      { workers: 2 },
      { workers: 0, chunkSize: 4099 },
      { workers: 2, chunkSize: 65_536 },
      { workers: 0, chunkSize: (1 << 16) | 1 },
    ]) {
      await assertSameEvents(path, {}, tuning);
    }
  }
});

test('monitorFile: more distinct hosts and sections than the intern tables hold, windows open across their restarts', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 90_000; i++) {
    const host = i % 3 === 0 ? '10.9.9.9' : `h${i}.example`;
    const section = i % 5 === 0 ? '/api' : `/s${i}`;
    lines.push(combined(host, at(30_000 + Math.floor(i / 400)), `GET ${section}/x HTTP/1.1`));
    if (i % 1000 === 0) lines.push(`\uFEFF${combined('10.9.9.9', at(30_000 + Math.floor(i / 400)), 'GET /api/bom HTTP/1.1')}`);
  }
  const path = writeLog(lines.join('\n'));
  for (const workers of [0, 1, 2]) await assertSameEvents(path, { interval: 1000, lateness: 2000, top: 3 }, { workers });
});

test('monitorFile: a line longer than the chunk, split at every byte position', async () => {
  const line = combined('10.1.1.1', at(40_000), `GET /x/${'z'.repeat(100)} HTTP/1.1`);
  const path = writeLog(`${line}\n${line}\r\n${line}`);
  for (const chunkSize of [1, 2, 5, 13, 64, 100, 150, 300]) {
    for (const workers of [0, 2]) await assertSameEvents(path, {}, { chunkSize, workers });
  }
});

test('monitorFile: startOffset reads the rest of the file as if it were the file', async () => {
  const lines = [
    combined('1.1.1.1', at(100), 'GET /a HTTP/1.1'),
    combined('1.1.1.2', at(150), 'GET /b HTTP/1.1'),
    combined('1.1.1.3', at(200), 'GET /c HTTP/1.1'),
  ];
  const content = Buffer.from(`${lines.join('\n')}\n`);
  const path = writeLog(content);
  for (const offset of [0, 1, lines[0]!.length, lines[0]!.length + 1, content.length - 3, content.length, content.length + 10]) {
    const tail = writeLog(content.subarray(Math.min(offset, content.length)));
    const expected = await reference(tail, {});
    for (const workers of [0, 2])
      assert.deepStrictEqual(await fast(path, { startOffset: offset, workers, chunkSize: 16 }), expected, `offset ${offset}`);
  }
});

test('monitorFile: missing file, directory and unreadable file fail with the errno code, like readLogFile', async () => {
  const missing = join(dir, 'missing.log');
  const folder = join(dir, 'folder');
  mkdirSync(folder);
  const cases: Array<[string, string]> = [
    [missing, 'ENOENT'],
    [folder, 'EISDIR'],
  ];
  if (process.getuid?.() !== 0) {
    const secret = writeLog('x\n');
    chmodSync(secret, 0o000);
    cases.push([secret, 'EACCES']);
  }
  for (const [path, code] of cases) {
    await assert.rejects(reference(path, {}), { code });
    for (const workers of [0, 2]) await assert.rejects(fast(path, { workers }), { code });
  }
});

test('onProgress: after every batch (arrival) and every closed interval, the open interval and the lines counted; the last says every line', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++)
    lines.push(combined(`10.4.${i % 40}.1`, at(20_000 + Math.floor(i / 7) + (i % 11 === 0 ? -9 : 0)), `GET /p${i % 9} HTTP/1.1`));
  const path = writeLog(lines.join('\n'));
  for (const chunkSize of [8192, 1 << 20]) {
    const progress: EngineProgress[] = [];
    const events = await lastValueFrom(monitor(readLogFile(path, { chunkSize }), { onProgress: (p) => progress.push(p) }).pipe(toArray()));
    const stats = events.filter((e): e is StatsEvent => e.type === 'stats');
    assert.equal(progress.filter((p) => !p.arrival).length, stats.length, 'one after each closed interval');
    assert.ok(progress.filter((p) => p.arrival).length >= (chunkSize === 8192 ? 10 : 1), 'one after each batch');
    const starts = progress.flatMap((p) => (p.open === undefined ? [] : [p.open.start]));
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
      'the open interval only moves on',
    );
    for (const p of progress) {
      const closed = stats.find((s) => s.start === p.open?.start);
      if (closed !== undefined && p.open !== undefined)
        assert.ok(p.open.hits <= closed.hits, 'an open interval holds at most what it reports');
    }
    const summary = events.at(-1) as SummaryEvent;
    assert.equal(progress.at(-1)?.lines, summary.lines, 'the last progress counts every line');
  }
});

test('monitor and readLogFile reject bad options synchronously, with MonitorOptionsError', () => {
  const bad: MonitorOptions[] = [
    { interval: 10_000, alertWindow: 25_000 },
    { format: '%h %Q' },
    { format: 'nope' },
    { threshold: 5, recoverThreshold: 6 },
    { top: -1 },
    { interval: 0 },
    { lateness: -1 },
  ];
  for (const options of bad) assert.throws(() => monitor(readLogFile('/nonexistent'), options), MonitorOptionsError);
  assert.throws(() => readLogFile('/nonexistent', { chunkSize: 0 }), MonitorOptionsError);
  assert.throws(() => readLogFile('/nonexistent', { chunkSize: 2 ** 31 }), MonitorOptionsError);
  assert.throws(() => readLogFile('/nonexistent', { startOffset: -1 }), MonitorOptionsError);
  assert.throws(() => readLogFile('/nonexistent', { startOffset: 1.5 }), MonitorOptionsError);
});

test('monitorFile: unsubscribing stops reading, terminates the workers and closes the file', async () => {
  const lines: string[] = [];
  for (let s = 0; s < 20_000; s++) lines.push(combined(`10.2.${s % 250}.1`, at(s), `GET /p${s % 7} HTTP/1.1`));
  const path = writeLog(lines.join('\n'));
  const openFiles = (): number => readdirSync('/proc/self/fd').length;
  const resources = (): string[] =>
    process
      .getActiveResourcesInfo()
      .filter((r) => r !== 'Timeout')
      .sort();
  // What was open before, give or take what earlier tests were still closing: a leak only adds.
  const before = { files: openFiles(), resources: resources() };
  const released = (): boolean => openFiles() <= before.files && resources().every((r) => before.resources.includes(r));
  for (const workers of [0, 1, 2]) {
    const first = await lastValueFrom(monitorFile(path, { workers, chunkSize: 4096 }).pipe(take(2), toArray()));
    assert.equal(first.length, 2);
    // Workers exit and the descriptor closes asynchronously: wait for it, bounded. (Workers
    // terminated while still loading their modules used to leak the loader's descriptors.)
    for (let tries = 0; tries < 600 && !released(); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(openFiles() <= before.files, `descriptors left open (workers: ${workers}): ${openFiles()} > ${before.files}`);
    assert.deepStrictEqual(
      resources().filter((r) => !before.resources.includes(r)),
      [],
      `resources left (workers: ${workers})`,
    );
  }
});

// --- property: random files ------------------------------------------------------------

const BASE = Date.UTC(2026, 9, 10, 12, 0, 0);
const STILL_CLOCK: SchedulerLike = Object.create(asyncScheduler, { now: { value: () => BASE + 3_600_000 } }) as SchedulerLike;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function apacheTime(ms: number, zoneMinutes: number): string {
  const d = new Date(ms + zoneMinutes * 60_000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const sign = zoneMinutes < 0 ? '-' : '+';
  const z = Math.abs(zoneMinutes);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(z / 60))}${pad(z % 60)}`;
}

const hostArb = fc.constantFrom(
  '10.0.0.1',
  '10.0.0.2',
  '10.0.0.3',
  '192.168.1.77',
  '2001:db8::7',
  '::1',
  'crawler.example.net',
  'hôte',
  '',
  '1.2.3.4',
);
const targetArb = fc.constantFrom(
  '/',
  '/api/users',
  '/api/users?id=3',
  '/api',
  '/static/app.js',
  '/static',
  '/ünï/x',
  '/a#b',
  '/?q',
  '//x',
  '*',
  'http://h.example/api/x',
  'https://h.example',
  'h.example:443',
  '-',
  '/q\\"x',
  '/a b',
  ' /lead',
);
const methodArb = fc.constantFrom('GET', 'GET', 'GET', 'POST', 'HEAD', 'M-SEARCH', 'G(T', '');
const protocolArb = fc.constantFrom(' HTTP/1.1', ' HTTP/1.1', ' HTTP/2.0', '', ' ');
const statusArb = fc.constantFrom('200', '200', '200', '200', '304', '404', '500', '101', '999', '20', '099', 'abc');
const bytesArb = fc.constantFrom('0', '-', '512', '512', '1048576', '123456789012345', '1234567890123456', '1a');
const agentArb = fc.constantFrom('"-"', '"Mozilla/5.0"', '"bot \\"x\\" 🦊"', '"ü"');
const zoneArb = fc.constantFrom(0, 0, 120, -300, 330);

/** Log formats under test, each with the line shapes it reads (and some it does not). */
const FORMATS: ReadonlyArray<{ format: string; shapes: readonly Shape[] }> = [
  { format: 'auto', shapes: ['combined', 'common', 'extra', 'vhost'] },
  { format: 'common', shapes: ['common', 'common', 'combined'] },
  { format: 'combined', shapes: ['combined', 'combined', 'extra', 'common'] },
  { format: 'vhost_combined', shapes: ['vhost', 'vhost', 'combined'] },
  { format: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"', shapes: ['combined', 'common'] },
  { format: '%h %t "%r" %>s %b', shapes: ['short', 'short', 'common'] },
];
type Shape = 'combined' | 'common' | 'extra' | 'vhost' | 'short';

/** One line at event time `time`: a log line built from parts, a mutated one, garbage, or blank. */
const lineArb = (time: number, shapes: readonly Shape[]) =>
  fc.oneof(
    {
      weight: 14,
      arbitrary: fc
        .tuple(hostArb, methodArb, targetArb, protocolArb, statusArb, bytesArb, agentArb, zoneArb, fc.constantFrom(...shapes))
        .map(([host, method, target, protocol, status, bytes, agent, zone, shape]) => {
          const request = method === '' ? target : `${method} ${target}${protocol}`;
          const tail = `"${request}" ${status} ${bytes}`;
          const head = `${host} - - [${apacheTime(time, zone)}] ${tail}`;
          if (shape === 'common') return head;
          if (shape === 'short') return `${host} [${apacheTime(time, zone)}] ${tail}`;
          if (shape === 'vhost') return `www.example.com:443 ${head} "-" ${agent}`;
          if (shape === 'extra') return `${head} "-" ${agent} 0.004`;
          return `${head} "https://ref.example/" ${agent}`;
        }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(hostArb, zoneArb, fc.nat(200), fc.integer({ min: 0, max: 255 }), fc.constantFrom('delete', 'insert', 'truncate'))
        .map(([host, zone, pos, byte, how]) => {
          const line = `${host} - - [${apacheTime(time, zone)}] "GET /m/x HTTP/1.1" 200 10 "-" "ua"`;
          const at = pos % (line.length + 1);
          const ch = String.fromCharCode(byte === 10 ? 32 : byte);
          if (how === 'delete') return line.slice(0, at) + line.slice(at + 1);
          if (how === 'insert') return line.slice(0, at) + ch + line.slice(at);
          return line.slice(0, at);
        }),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\n', ' ')) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '\r') },
  );

/** A file of up to 200 lines in the given shapes, as bytes. */
const fileArb = (shapes: readonly Shape[]) =>
  fc
    .array(fc.tuple(fc.integer({ min: -3, max: 6 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 199 })), {
      minLength: 0,
      maxLength: 200,
      size: 'max',
    })
    .chain((steps) => {
      // Event times in seconds: mostly forward, a little disorder, now and then a jump back
      // (late), rarely a jump ahead by up to two hours (a long empty gap).
      let t = 0;
      const times = steps.map(([step, back, dice]) => {
        t = Math.max(0, t + step + (dice === 0 ? back * 240 : 0));
        return BASE + (dice < 20 ? Math.max(0, t - back) : t) * 1000;
      });
      return fc.tuple(
        fc.tuple(...times.map((time) => lineArb(time, shapes))),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }),
      );
    })
    .map(([lines, eol, trailing, bom, junk]) => {
      const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (trailing ? eol : '');
      return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(junk)]);
    });

const optionsArb = fc
  .record({
    format: fc.constantFrom(...FORMATS.map((f) => f.format), 'auto', 'auto'),
    interval: fc.constantFrom(1000, 5000, 10_000),
    lateness: fc.constantFrom(0, 1000, 5000, 10_000, 30_000),
    windows: fc.integer({ min: 1, max: 6 }),
    threshold: fc.constantFrom(0, 0.1, 0.5, 1, 3),
    recover: fc.option(fc.constantFrom(0, 0.5, 1), { nil: undefined }),
    top: fc.constantFrom(0, 1, 3, 5),
    // Not 0: the core loops forever on a gap with maxEmptyWindows 0 (reported).
    maxEmptyWindows: fc.constantFrom(undefined, 1, 2, 5, 50, 50),
    maxFuture: fc.constantFrom(undefined, undefined, undefined, 0, 600_000, 7_200_000),
  })
  .map(
    ({ format, interval, lateness, windows, threshold, recover, top, maxEmptyWindows, maxFuture }): MonitorOptions => ({
      format,
      interval,
      lateness,
      alertWindow: interval * windows,
      threshold,
      top,
      ...(recover === undefined || recover > threshold ? {} : { recoverThreshold: recover }),
      ...(maxEmptyWindows === undefined ? {} : { maxEmptyWindows }),
      // A clock that stands still (at BASE + 1 h), so that `maxFuture` gives the same answer to both.
      ...(maxFuture === undefined ? {} : { maxFuture, scheduler: STILL_CLOCK }),
    }),
  );

const caseArb = optionsArb.chain((options) => {
  const shapes = FORMATS.find((f) => f.format === options.format)?.shapes ?? ['combined'];
  return fc.tuple(fileArb(shapes), fc.constant(options));
});

const tuningArb = fc.record({
  chunkSize: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 8192 })),
  workers: fc.constantFrom(0, 0, 1, 2, 3),
});

test('monitorFile: property: random files, options and chunk sizes give the events of the reference pipeline', async () => {
  await fc.assert(
    fc.asyncProperty(caseArb, tuningArb, async ([content, options], tuning) => {
      const path = writeLog(content);
      await assertSameEvents(path, options, tuning);
      rmSync(path);
    }),
    { seed: 20261010, numRuns: 120 },
  );
});
