import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveFormat, sectionOf, parseApacheTime } from '../../src/parse/index.js';
import type { AccessRecord } from '../../src/types.js';

const RUNS = { seed: 20_240_229, numRuns: 200 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const parsers = ['auto', 'common', 'combined', 'vhost_combined', '%h %{X-Forwarded-For}i %t "%m %U%q %H" %>s %O'].map(resolveFormat);

/** Strings biased towards the characters that matter to the scanner. */
const nasty = fc.string({ unit: fc.constantFrom(' ', '"', '\\', '[', ']', '-', '/', ':', '?', '\0', '\r', '\uD800', 'a', '1', '%') });

test('any string parses to a record or an invalid line, and never throws', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), nasty), (line) => {
      for (const parse of parsers) {
        const parsed = parse(line);
        assert.ok(parsed.type === 'record' || parsed.type === 'invalid');
        if (parsed.type === 'invalid') assert.ok(parsed.line.length <= 1024);
      }
      assert.equal(typeof sectionOf(line), 'string');
      parseApacheTime(line);
    }),
    RUNS,
  );
});

/** The parts of a combined line and the record they should give. */
const combinedLine = fc
  .record({
    host: fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()),
    user: fc.constantFrom('-', 'frank', 'a b'),
    time: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }).map((t) => Math.floor(t / 1000) * 1000),
    offset: fc.integer({ min: -12 * 60, max: 14 * 60 }),
    method: fc.constantFrom('GET', 'POST', 'HEAD', 'PROPFIND', 'M-SEARCH'),
    segments: fc.array(fc.stringMatching(/^[A-Za-z0-9._~%-]{1,8}$/), { maxLength: 3 }),
    query: fc.option(fc.stringMatching(/^[A-Za-z0-9=&/?]{0,10}$/), { nil: undefined }),
    status: fc.integer({ min: 100, max: 999 }),
    bytes: fc.option(fc.nat(), { nil: undefined }),
    referer: fc.string().map(escapeQuoted),
    agent: fc.string().map(escapeQuoted),
  })
  .map((p) => {
    const path = `/${p.segments.join('/')}${p.query === undefined ? '' : `?${p.query}`}`;
    const line = `${p.host} - ${p.user} [${apacheTime(p.time, p.offset)}] "${p.method} ${path} HTTP/1.1" ${p.status} ${p.bytes ?? '-'} "${p.referer}" "${p.agent}"`;
    const section = p.segments.length === 0 ? '/' : `/${p.segments[0]}`;
    const expected: AccessRecord = {
      type: 'record',
      time: p.time,
      host: p.host,
      section,
      status: p.status,
      bytes: p.bytes ?? 0,
      method: p.method,
      path,
    };
    return { line, expected };
  });

test('round trip: a generated combined line parses back to the fields it was built from', () => {
  const combined = resolveFormat('combined');
  const auto = resolveFormat('auto');
  fc.assert(
    fc.property(combinedLine, ({ line, expected }) => {
      assert.deepEqual(combined(line), expected);
      assert.deepEqual(auto(line), expected);
    }),
    RUNS,
  );
});

/** Apache's escaping of a quoted field: backslash and quote get a backslash. */
function escapeQuoted(text: string): string {
  return text.replace(/[\\"]/g, (c) => `\\${c}`);
}

/** `dd/Mon/yyyy:HH:MM:SS +hhmm` of instant `ms` shown at UTC offset `offset` minutes. */
function apacheTime(ms: number, offset: number): string {
  const d = new Date(ms + offset * 60_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}
