/**
 * fast-check arbitraries for the law, fuzz and GoAccess specs and `bench/fuzz.ts`.
 *
 * - `logCase`: a realistic access log in which every line says what it is (a record with the
 *   fields the engine must find, an invalid line, a blank line), as bytes: Combined and Common
 *   lines, bursts and quiet gaps, times a little out of order (now and then a lot), UTC
 *   offsets that change mid-file as at a DST switch, multi-byte UTF-8 and invalid UTF-8.
 *   The declared fields are the oracle's input, so the laws never trust the parser.
 * - `monitorOptions`: interval, lateness, alert window (a multiple of the interval),
 *   thresholds and top-N.
 * - `fuzzLine`: hostile parser input, labelled by kind (for the counts of `bench/fuzz.ts`).
 * - `calendarStamp`: `%t` texts around leap days and DST changes, with the instant they
 *   denote computed by `Date.UTC` (or `undefined` when the text is not a real time).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MonitorOptions } from '../../src/engine/monitor.js';
import type { InvalidReason, ParsedLine } from '../../src/types.js';

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const two = (n: number): string => String(n).padStart(2, '0');

/** `+hhmm` / `-hhmm` for an offset in minutes. */
export function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

/** `dd/Mon/yyyy:HH:MM:SS +hhmm`: instant `ms` as a server at UTC offset `offsetMinutes` logs it. */
export function apacheStamp(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${offsetText(offsetMinutes)}`
  );
}

// --- realistic logs -------------------------------------------------------------------------

/** A line the engine must count as a record, with the fields it must find. */
export interface RecordLine {
  readonly kind: 'record';
  readonly format: 'combined' | 'common';
  /** The bytes of the line, without terminator. */
  readonly raw: Buffer;
  /** Event time, ms since the epoch. */
  readonly time: number;
  readonly host: string;
  readonly section: string;
  readonly status: number;
  readonly bytes: number;
}

/** A non-empty line that matches no access-log format. */
export interface InvalidLogLine {
  readonly kind: 'invalid';
  readonly raw: Buffer;
  readonly why: string;
  /** The reason the parser must give (format auto, combined or common). */
  readonly reason: InvalidReason;
}

/** Empty or whitespace only: no entry at all. */
export interface BlankLogLine {
  readonly kind: 'blank';
  readonly raw: Buffer;
}

export type LogLine = RecordLine | InvalidLogLine | BlankLogLine;

export interface LogCase {
  /** In file order. */
  readonly lines: readonly LogLine[];
  /** Terminator after each line: `\n` or `\r\n`; the last may be `''`. */
  readonly endings: readonly string[];
}

/** The file: every line's bytes and its terminator. */
export function caseBytes(c: Pick<LogCase, 'lines' | 'endings'>): Buffer {
  const parts: Buffer[] = [];
  for (const [i, line] of c.lines.entries()) parts.push(line.raw, Buffer.from(c.endings[i] ?? '\n'));
  return Buffer.concat(parts);
}

/** The same case with its lines in another order (each line keeps its own terminator slot). */
export function withLines(c: LogCase, lines: readonly LogLine[]): LogCase {
  return { lines, endings: c.endings };
}

export const HOSTS = ['10.0.0.1', '10.0.0.2', '192.168.1.20', '2001:db8::1', 'crawler.example.org'] as const;

/** Request line, and the section the engine must find in it. */
export const REQUESTS: readonly (readonly [string, string])[] = [
  ['GET / HTTP/1.1', '/'],
  ['GET /index.html HTTP/1.1', '/index.html'],
  ['GET /api/user?id=7 HTTP/1.1', '/api'],
  ['POST /api/items/42 HTTP/1.1', '/api'],
  ['GET /static/app.js HTTP/2.0', '/static'],
  ['GET /report?from=2025&to=2026 HTTP/1.1', '/report'],
  ['GET /caf%C3%A9/menu HTTP/1.1', '/caf%C3%A9'],
  ['GET /café/menu HTTP/1.1', '/café'],
  ['GET /日本/語 HTTP/1.1', '/日本'],
  ['HEAD /😀 HTTP/1.1', '/😀'],
  ['GET http://example.com/api/x HTTP/1.1', '/api'],
  ['GET /a\\"b/c HTTP/1.1', '/a\\"b'],
  ['OPTIONS * HTTP/1.1', '*'],
  ['-', '-'],
];

const STATUSES = [200, 200, 200, 200, 201, 204, 206, 301, 302, 304, 400, 401, 404, 404, 500, 503, 101] as const;
const USERS = ['-', '-', '-', 'frank', 'a b'] as const;
const REFERERS = ['-', 'https://www.example.com/docs', 'https://例え.jp/ä?q=1'] as const;

/** User agents as bytes: plain, multi-byte, escaped quotes, and invalid UTF-8. */
const AGENTS: readonly Buffer[] = [
  Buffer.from('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'),
  Buffer.from('curl/8.5.0'),
  Buffer.from('Ünïcödé-Agent/1.0 😀'),
  Buffer.from('quote \\"inside\\" agent'),
  Buffer.from('-'),
  Buffer.from(''),
  Buffer.from([0x62, 0x61, 0x64, 0xc3, 0x28, 0xff, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xf0, 0x9f, 0x98]), // invalid UTF-8
];

/** Invalid lines, built around a host and a stamp so that they look like the real thing. */
const INVALID: readonly (readonly [string, (host: string, stamp: string) => Buffer, InvalidReason])[] = [
  ['truncated inside the request', (h, s) => Buffer.from(`${h} - - [${s}] "GET /trunc`), 'no_match'],
  ['impossible date', (h) => Buffer.from(`${h} - - [31/Feb/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"`), 'bad_time'],
  ['offset beyond +14 h', (h) => Buffer.from(`${h} - - [01/Mar/2025:10:00:00 +2500] "GET / HTTP/1.1" 200 1 "-" "-"`), 'bad_time'],
  ['status not three digits', (h, s) => Buffer.from(`${h} - - [${s}] "GET / HTTP/1.1" 2x0 100 "-" "-"`), 'bad_status'],
  ['bytes not a number', (h, s) => Buffer.from(`${h} - - [${s}] "GET / HTTP/1.1" 200 12ab "-" "-"`), 'bad_bytes'],
  [
    'error-log line',
    (h) => Buffer.from(`[Sat Mar 01 00:02:17.399944 2025] [core:error] [pid 4242] [client ${h}:5555] AH10244: invalid URI path (/%2%g)`),
    'no_match',
  ],
  ['multi-byte garbage', () => Buffer.from('ünïcödé 😀 garbage \u0000 "'), 'no_match'],
  ['TLS handshake on a plain port', () => Buffer.from('\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03'), 'no_match'],
  ['invalid UTF-8 bytes', () => Buffer.from([0xff, 0xfe, 0x20, 0xc3, 0x28, 0x5b, 0x22, 0xe2, 0x82]), 'no_match'],
  ['NUL', () => Buffer.from('\u0000'), 'no_match'],
];

const BLANKS = ['', ' ', '\t', ' \t  '] as const;

/** Time zones a log may switch between (minutes): none, CET/CEST, EST/EDT, India, Chatham, Newfoundland. */
const ZONES: readonly (readonly [number, number])[] = [
  [0, 0],
  [60, 120],
  [120, 60],
  [-300, -240],
  [330, 330],
  [765, 825],
  [-210, -150],
];

/** Instants next to leap days, DST changes and a year end (whole seconds, ms). */
const NOTABLE_STARTS = [
  Date.UTC(2024, 1, 28, 23, 58),
  Date.UTC(2025, 2, 30, 0, 58), // EU summer time starts at 01:00 UTC
  Date.UTC(2025, 9, 26, 0, 58), // EU summer time ends at 01:00 UTC
  Date.UTC(2025, 2, 9, 6, 58), // US summer time starts at 07:00 UTC
  Date.UTC(2024, 11, 31, 23, 58),
  Date.UTC(2000, 1, 28, 23, 59),
];

const gapSeconds = fc.oneof(
  { arbitrary: fc.constant(0), weight: 8 },
  { arbitrary: fc.constant(1), weight: 4 },
  { arbitrary: fc.integer({ min: 2, max: 5 }), weight: 2 },
  { arbitrary: fc.integer({ min: 10, max: 40 }), weight: 1 },
);

const disorderSeconds = fc.oneof(
  { arbitrary: fc.constant(0), weight: 10 },
  { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 3 },
  { arbitrary: fc.integer({ min: 8, max: 40 }), weight: 1 },
);

const kindArb = fc.oneof(
  { arbitrary: fc.constant('combined' as const), weight: 12 },
  { arbitrary: fc.constant('common' as const), weight: 4 },
  { arbitrary: fc.constant('invalid' as const), weight: 2 },
  { arbitrary: fc.constant('blank' as const), weight: 1 },
);

const stepArb = fc.record({
  kind: kindArb,
  gap: gapSeconds,
  disorder: disorderSeconds,
  host: fc.nat(HOSTS.length - 1),
  request: fc.nat(REQUESTS.length - 1),
  status: fc.nat(STATUSES.length - 1),
  bytes: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined, freq: 6 }),
  user: fc.nat(USERS.length - 1),
  referer: fc.nat(REFERERS.length - 1),
  agent: fc.nat(AGENTS.length - 1),
  invalid: fc.nat(INVALID.length - 1),
  blank: fc.nat(BLANKS.length - 1),
  crlf: fc.boolean(),
});

export interface LogCaseConstraints {
  readonly maxLines?: number;
}

/** A realistic log as bytes, every line labelled; see the module comment. */
export function logCase(constraints: LogCaseConstraints = {}): fc.Arbitrary<LogCase> {
  const { maxLines = 200 } = constraints;
  const start = fc.oneof(
    fc.integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2026, 0, 1) / 1000 }).map((s) => s * 1000),
    fc.constantFrom(...NOTABLE_STARTS),
  );
  return fc
    .record({
      start,
      zone: fc.nat(ZONES.length - 1),
      switchAt: fc.nat(maxLines),
      steps: fc.array(stepArb, { maxLength: maxLines, size: 'medium' }),
      finalNewline: fc.boolean(),
    })
    .map(({ start, zone, switchAt, steps, finalNewline }) => {
      const [before, after] = ZONES[zone] ?? [0, 0];
      let clock = start;
      const lines: LogLine[] = [];
      const endings: string[] = [];
      steps.forEach((s, i) => {
        clock += s.gap * 1000;
        const time = clock - s.disorder * 1000;
        const stamp = apacheStamp(time, i < switchAt ? before : after);
        const host = HOSTS[s.host] ?? '-';
        if (s.kind === 'blank') {
          lines.push({ kind: 'blank', raw: Buffer.from(BLANKS[s.blank] ?? '') });
        } else if (s.kind === 'invalid') {
          const [why, build, reason] = INVALID[s.invalid] ?? ['NUL', () => Buffer.from('\u0000'), 'no_match'];
          lines.push({ kind: 'invalid', raw: build(host, stamp), why, reason });
        } else {
          const [request, section] = REQUESTS[s.request] ?? ['-', '-'];
          const status = STATUSES[s.status] ?? 200;
          const head = `${host} - ${USERS[s.user] ?? '-'} [${stamp}] "${request}" ${status} ${s.bytes ?? '-'}`;
          const raw =
            s.kind === 'common'
              ? Buffer.from(head)
              : Buffer.concat([
                  Buffer.from(`${head} "${REFERERS[s.referer] ?? '-'}" "`),
                  AGENTS[s.agent] ?? Buffer.alloc(0),
                  Buffer.from('"'),
                ]);
          lines.push({ kind: 'record', format: s.kind, raw, time, host, section, status, bytes: s.bytes ?? 0 });
        }
        endings.push(s.crlf ? '\r\n' : '\n');
      });
      if (!finalNewline && endings.length > 0) endings[endings.length - 1] = '';
      return { lines, endings };
    });
}

/** The records of a case, in file order. */
export function recordsOf(c: Pick<LogCase, 'lines'>): RecordLine[] {
  return c.lines.filter((l): l is RecordLine => l.kind === 'record');
}

/** Engine options: any interval, lateness, alert window (a multiple), thresholds and top-N. */
export const monitorOptions: fc.Arbitrary<
  MonitorOptions & { interval: number; lateness: number; alertWindow: number; threshold: number; top: number }
> = fc
  .record({
    interval: fc.constantFrom(1000, 2000, 3000, 5000, 10_000),
    windows: fc.integer({ min: 1, max: 6 }),
    lateness: fc.oneof(fc.constantFrom(0, 1000, 5000, 10_000), fc.integer({ min: 0, max: 30_000 })),
    threshold: fc.integer({ min: 0, max: 40 }).map((n) => n / 10),
    recover: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    top: fc.integer({ min: 0, max: 6 }),
  })
  .map(({ interval, windows, lateness, threshold, recover, top }) => ({
    interval,
    lateness,
    alertWindow: interval * windows,
    threshold,
    top,
    ...(recover === undefined ? {} : { recoverThreshold: recover === 10 ? threshold : Math.min(threshold, (threshold * recover) / 10) }),
  }));

/** Where to cut a byte string, as fractions: anywhere, and just before a UTF-8 continuation byte. */
export interface Cuts {
  readonly anywhere: readonly number[];
  readonly inChars: readonly number[];
}

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const cuts: fc.Arbitrary<Cuts> = fc.record({
  anywhere: fc.array(unit, { maxLength: 40 }),
  inChars: fc.array(unit, { maxLength: 20 }),
});

/** Sorted distinct cut points in (0, bytes.length) for `c`; `inChars` ones split a character. */
export function cutPoints(bytes: Buffer, c: Cuts): number[] {
  const inside: number[] = [];
  for (let i = 1; i < bytes.length; i++) if (((bytes[i] as number) & 0xc0) === 0x80) inside.push(i);
  const points = c.anywhere.map((f) => Math.floor(f * bytes.length));
  if (inside.length > 0) for (const f of c.inChars) points.push(inside[Math.floor(f * inside.length)] as number);
  return [...new Set(points)].filter((p) => p > 0 && p < bytes.length).sort((x, y) => x - y);
}

/** `bytes` cut at `points` (from `cutPoints`). */
export function cutAt(bytes: Buffer, points: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

// --- hostile parser input ---------------------------------------------------------------------

/** The formats the fuzzers run: the named ones and a custom one with a header field and `%U%q`. */
export const FUZZ_FORMATS = ['auto', 'common', 'combined', 'vhost_combined', '%h %{X-Forwarded-For}i %t "%m %U%q %H" %>s %O'] as const;

/** What any parse result must satisfy, whatever the line (throws an AssertionError if not). */
export function checkParsed(line: string, parsed: ParsedLine): void {
  if (parsed.type === 'invalid') {
    assert.ok(parsed.line.length <= 1024, 'an invalid line is kept cut to 1024 characters');
    assert.ok(line.startsWith(parsed.line), 'the kept text is the start of the line');
    assert.equal(typeof parsed.reason, 'string');
    return;
  }
  assert.equal(parsed.type, 'record');
  assert.ok(Number.isSafeInteger(parsed.time), `time ${parsed.time}`);
  assert.ok(Number.isInteger(parsed.status) && parsed.status >= 100 && parsed.status <= 999, `status ${parsed.status}`);
  assert.ok(Number.isSafeInteger(parsed.bytes) && parsed.bytes >= 0, `bytes ${parsed.bytes}`);
  assert.ok(parsed.section === '-' || parsed.section === '*' || parsed.section.startsWith('/'), `section ${parsed.section}`);
  assert.ok(line.includes(parsed.host) && line.includes(parsed.path) && line.includes(parsed.method), 'fields are cut from the line');
  if (parsed.section.startsWith('/')) assert.ok(line.includes(parsed.section), `section ${parsed.section} is in the line`);
}

export type FuzzKind =
  | 'mutated'
  | 'huge field'
  | 'nul bytes'
  | 'replacement chars'
  | 'unbalanced quotes'
  | 'escaped quotes'
  | 'calendar'
  | 'random';

export interface FuzzLine {
  readonly kind: FuzzKind;
  readonly line: string;
}

/** Tokens that matter to the scanner: delimiters, escapes, NUL, U+FFFD, a BOM, a lone surrogate. */
export const NASTY_TOKENS = [
  ' ',
  '"',
  '\\',
  '\\"',
  '\\\\"',
  '[',
  ']',
  '" [',
  '] "',
  '-',
  '/',
  ':',
  '?',
  '%',
  '\u0000',
  '\r',
  '\t',
  '\uFFFD',
  '\uFEFF',
  '\uD800',
  '+',
  '0',
  '9',
  'GET ',
  ' HTTP/1.1',
] as const;

const nastyToken = fc.constantFrom(...NASTY_TOKENS);

/** A well-formed line to mutate: Combined or Common, as `logCase` writes them. */
const seedLine = fc
  .record({
    time: fc.integer({ min: Date.UTC(1999, 0, 1) / 1000, max: Date.UTC(2031, 0, 1) / 1000 }).map((s) => s * 1000),
    offset: fc.constantFrom(0, 60, 120, -300, 330, 825, -720, 840),
    host: fc.constantFrom(...HOSTS),
    request: fc.nat(REQUESTS.length - 1),
    status: fc.constantFrom(...STATUSES),
    bytes: fc.option(fc.nat(), { nil: undefined }),
    combined: fc.boolean(),
  })
  .map((p) => {
    const [request] = REQUESTS[p.request] ?? ['-'];
    const head = `${p.host} - - [${apacheStamp(p.time, p.offset)}] "${request}" ${p.status} ${p.bytes ?? '-'}`;
    return p.combined ? `${head} "-" "Mozilla/5.0 (X11; Linux x86_64)"` : head;
  });

type Mutation = (line: string) => string;

const at = (line: string, f: number): number => Math.floor(f * (line.length + 1));
const fraction = unit;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fraction, nastyToken).map(
    ([f, t]): Mutation =>
      (l) =>
        l.slice(0, at(l, f)) + t + l.slice(at(l, f)),
  ),
  fc.tuple(fraction, fc.integer({ min: 1, max: 12 })).map(
    ([f, n]): Mutation =>
      (l) =>
        l.slice(0, at(l, f)) + l.slice(at(l, f) + n),
  ),
  fc.tuple(fraction, nastyToken).map(
    ([f, t]): Mutation =>
      (l) =>
        l.slice(0, at(l, f)) + t + l.slice(at(l, f) + 1),
  ),
  fc.tuple(fraction, fraction).map(
    ([f, g]): Mutation =>
      (l) => {
        const [a, b] = [at(l, Math.min(f, g)), at(l, Math.max(f, g))];
        return l.slice(0, b) + l.slice(a, b) + l.slice(b);
      },
  ),
  fraction.map(
    (f): Mutation =>
      (l) =>
        l.slice(0, at(l, f)),
  ),
);

/** Some random mutations of a well-formed line. */
const mutated = fc.tuple(seedLine, fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([line, ms]) => ms.reduce((l, m) => m(l), line));

/** A field (`request`, `agent`, `user`, `host`...) blown up to `size` characters of one token. */
const hugeField = fc
  .tuple(seedLine, fc.constantFrom(...NASTY_TOKENS, 'a', 'é', '😀'), fc.integer({ min: 1_000, max: 100_000 }), fraction)
  .map(([line, token, size, f]) => {
    const blob = token.repeat(Math.ceil(size / token.length));
    return line.slice(0, at(line, f)) + blob + line.slice(at(line, f));
  });

/** NUL bytes at random places. */
const nulBytes = fc
  .tuple(seedLine, fc.array(fraction, { minLength: 1, maxLength: 5 }))
  .map(([line, fs]) => fs.reduce((l, f) => `${l.slice(0, at(l, f))}\u0000${l.slice(at(l, f))}`, line));

/** Invalid UTF-8 bytes spliced into a line, decoded the way the readers decode them (U+FFFD). */
const replacementChars = fc
  .tuple(
    seedLine,
    fc.array(
      fc.tuple(
        fraction,
        fc.uint8Array({ minLength: 1, maxLength: 6 }).map((a) => Buffer.from(a.map((b) => b | 0x80))),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([line, splices]) => {
    let bytes = Buffer.from(line);
    for (const [f, junk] of splices) {
      const p = Math.floor(f * (bytes.length + 1));
      bytes = Buffer.concat([bytes.subarray(0, p), junk, bytes.subarray(p)]);
    }
    return bytes.toString('utf8');
  });

/** A quote added or removed somewhere. */
const unbalancedQuotes = fc.tuple(seedLine, fraction, fc.boolean()).map(([line, f, add]) => {
  if (add) return `${line.slice(0, at(line, f))}"${line.slice(at(line, f))}`;
  const quotes = [...line.matchAll(/"/g)].map((m) => m.index);
  const q = quotes[Math.floor(f * quotes.length)];
  return q === undefined ? line : line.slice(0, q) + line.slice(q + 1);
});

/** Apache's `\"` escapes inside the request and the agent, sometimes with extra backslashes. */
const escapedQuotes = fc
  .tuple(
    fc.constantFrom(...HOSTS),
    fc.array(fc.constantFrom('\\"', '\\\\', '\\\\\\"', 'a', ' ', '/'), { maxLength: 20 }),
    fc.array(fc.constantFrom('\\"', '\\\\', '"', 'x'), { maxLength: 10 }),
  )
  .map(
    ([host, target, agent]) => `${host} - - [01/Mar/2025:10:00:00 +0000] "GET /${target.join('')} HTTP/1.1" 200 5 "-" "${agent.join('')}"`,
  );

/** Random strings over the nasty tokens and anything. */
const randomLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(nastyToken, { maxLength: 80 }).map((t) => t.join('')),
);

/** `%t` text around leap days and DST changes, with its instant per `Date.UTC` (undefined: not a real time). */
export interface CalendarStamp {
  readonly text: string;
  readonly expected: number | undefined;
}

export const calendarStamp: fc.Arbitrary<CalendarStamp> = fc
  .record({
    year: fc.constantFrom(1900, 1970, 1999, 2000, 2023, 2024, 2025, 2026, 2100, 2400, 9999),
    month: fc.constantFrom(1, 2, 2, 2, 3, 3, 4, 10, 10, 11, 12), // 1-based; Feb, Mar and Oct more often
    day: fc.oneof(fc.integer({ min: 26, max: 31 }), fc.integer({ min: 0, max: 32 })),
    hour: fc.oneof(fc.constantFrom(0, 1, 2, 3, 23), fc.integer({ min: 0, max: 24 })),
    minute: fc.constantFrom(0, 30, 59, 60),
    second: fc.constantFrom(0, 59, 60),
    sign: fc.constantFrom('+', '-'),
    offsetHours: fc.constantFrom(0, 1, 2, 4, 5, 9, 12, 13, 14, 18, 19),
    offsetMinutes: fc.constantFrom(0, 30, 45, 59, 60),
  })
  .map((p) => {
    const text = `${two(p.day)}/${MONTHS[p.month - 1]}/${p.year}:${two(p.hour)}:${two(p.minute)}:${two(p.second)} ${p.sign}${two(p.offsetHours)}${two(p.offsetMinutes)}`;
    const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const d = new Date(local);
    const real =
      d.getUTCFullYear() === p.year &&
      d.getUTCMonth() === p.month - 1 &&
      d.getUTCDate() === p.day &&
      d.getUTCHours() === p.hour &&
      d.getUTCMinutes() === p.minute &&
      d.getUTCSeconds() === p.second;
    const offset = p.offsetHours * 60 + p.offsetMinutes;
    const validOffset = p.offsetMinutes <= 59 && offset <= (p.sign === '+' ? 14 * 60 : 12 * 60);
    const expected = real && validOffset ? local - (p.sign === '+' ? offset : -offset) * 60_000 : undefined;
    return { text, expected };
  });

const calendarLine = fc
  .tuple(calendarStamp, fc.boolean())
  .map(([{ text }, combined]) => `192.0.2.1 - - [${text}] "GET /leap HTTP/1.1" 200 1${combined ? ' "-" "-"' : ''}`);

/** Hostile parser input of every kind, labelled. */
export const fuzzLine: fc.Arbitrary<FuzzLine> = fc.oneof(
  { arbitrary: mutated.map((line) => ({ kind: 'mutated' as const, line })), weight: 6 },
  { arbitrary: hugeField.map((line) => ({ kind: 'huge field' as const, line })), weight: 1 },
  { arbitrary: nulBytes.map((line) => ({ kind: 'nul bytes' as const, line })), weight: 2 },
  { arbitrary: replacementChars.map((line) => ({ kind: 'replacement chars' as const, line })), weight: 2 },
  { arbitrary: unbalancedQuotes.map((line) => ({ kind: 'unbalanced quotes' as const, line })), weight: 2 },
  { arbitrary: escapedQuotes.map((line) => ({ kind: 'escaped quotes' as const, line })), weight: 2 },
  { arbitrary: calendarLine.map((line) => ({ kind: 'calendar' as const, line })), weight: 2 },
  { arbitrary: randomLine.map((line) => ({ kind: 'random' as const, line })), weight: 2 },
);

/**
 * Adversarial patterns for the linear-time check: each repeated to the wanted size, alone or
 * inside a line that is well-formed up to there.
 */
export const ADVERSARIAL_PATTERNS: readonly (readonly [string, (size: number) => string])[] = [
  ['" [ repeated', (n) => fill('" [', n)],
  ['\\" repeated', (n) => fill('\\"', n)],
  ['backslashes then a quote', (n) => fill('\\\\\\\\\\\\\\"', n)],
  ['[ repeated', (n) => fill('[', n)],
  ['spaces', (n) => fill(' ', n)],
  ['prefix then bracketed times', (n) => `10.0.0.1 - - ${fill('[01/Mar/2025:10:00:00 +0000] ', n)}`],
  ['open request of escaped quotes', (n) => `10.0.0.1 - - [01/Mar/2025:10:00:00 +0000] "GET /${fill('\\"', n)}`],
  ['request of spaces', (n) => `10.0.0.1 - - [01/Mar/2025:10:00:00 +0000] "GET ${fill('a ', n)}" 200 1`],
  ['valid line with a huge agent', (n) => `10.0.0.1 - - [01/Mar/2025:10:00:00 +0000] "GET /x HTTP/1.1" 200 1 "-" "${fill('\\" [', n)}"`],
  ['user of " [ ', (n) => `10.0.0.1 - ${fill('" [ ', n)}[01/Mar/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 1`],
];

/** `token` repeated to about `size` characters, as a flat string (as a decoder would produce). */
function fill(token: string, size: number): string {
  return Buffer.from(token.repeat(Math.ceil(size / token.length))).toString('utf8');
}
