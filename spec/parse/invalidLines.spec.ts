import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveFormat, LogFormatError, type LineParser } from '../../src/parse/index.js';
import { CountingString } from '../helpers/countingString.js';
import type { AccessRecord, ParsedLine } from '../../src/types.js';

const COMMON = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326';
const RECORD: AccessRecord = {
  type: 'record',
  time: Date.UTC(2000, 9, 10, 20, 55, 36),
  host: '127.0.0.1',
  section: '/apache_pb.gif',
  status: 200,
  bytes: 2326,
  method: 'GET',
  path: '/apache_pb.gif',
};

function reason(parsed: ParsedLine): string {
  return parsed.type === 'invalid' ? parsed.reason : 'record';
}

test('invalid lines: reasons, and the line kept for reporting', () => {
  const parse = resolveFormat('auto');
  const cases: [string, string][] = [
    ['', 'no_match'],
    ['garbage', 'no_match'],
    [COMMON.slice(0, 60), 'no_match'],
    [COMMON.replace('"GET /apache_pb.gif HTTP/1.0"', '"GET /apache_pb.gif HTTP/1.0'), 'no_match'],
    [COMMON.replace(' 200 ', ' 2000 '), 'bad_status'],
    [COMMON.replace(' 200 ', ' 099 '), 'bad_status'],
    [COMMON.replace(' 200 ', ' 20x '), 'bad_status'],
    [COMMON.replace(' 200 ', ' - '), 'bad_status'],
    [COMMON.replace('10/Oct', '31/Feb'), 'bad_time'],
    [COMMON.replace('10/Oct', '10/Okt'), 'bad_time'],
    [COMMON.replace('2326', '23x6'), 'bad_bytes'],
    [COMMON.replace('2326', '-1'), 'bad_bytes'],
    [COMMON.replace('2326', '1234567890123456'), 'bad_bytes'],
    [COMMON.replace('frank', 'fr\0ank').replace(' 200 ', ' \0\0\0 '), 'bad_status'],
    ['\0'.repeat(100), 'no_match'],
    ['\uD800 - - [\uDC00', 'no_match'],
  ];
  for (const [line, why] of cases) {
    assert.deepEqual(parse(line), { type: 'invalid', line, reason: why }, JSON.stringify(line));
  }
});

test('29/Feb/2024 is a valid date, 29/Feb/2023 is not', () => {
  const parse = resolveFormat('common');
  assert.equal(reason(parse(COMMON.replace('10/Oct/2000', '29/Feb/2024'))), 'record');
  assert.equal(reason(parse(COMMON.replace('10/Oct/2000', '29/Feb/2023'))), 'bad_time');
});

test('1 MB lines are handled in linear work; invalid lines are cut to 1024 characters', () => {
  const parse = resolveFormat('combined');
  // Characters the parser looks at (work, not time): at most a few passes over each line.
  const scanned = (p: LineParser, line: string): ParsedLine => {
    const counted = new CountingString(line);
    p(counted as unknown as string);
    assert.ok(counted.scanned <= 4 * line.length, `linear work: ${counted.scanned} characters scanned for ${line.length}`);
    return p(line);
  };
  const hugeAgent = `${COMMON} "-" "${'A'.repeat(1 << 20)}"`;
  const hugeRecord = scanned(parse, hugeAgent);
  assert.deepEqual(hugeRecord, RECORD);
  const unbalanced = `${COMMON} "-" "${'\\"'.repeat(1 << 19)}`;
  const invalid = scanned(parse, unbalanced);
  assert.equal(invalid.type === 'invalid' && invalid.line.length, 1024);
  assert.equal(invalid.type === 'invalid' && invalid.line, unbalanced.slice(0, 1024));
  const quotes = scanned(parse, '"'.repeat(1 << 20));
  const spaces = scanned(resolveFormat('auto'), ' '.repeat(1 << 20));
  const slashes = scanned(resolveFormat('%h %t "%r" %s'), `h [10/Oct/2000:13:55:36 -0700] "GET /${'\\'.repeat(1 << 20)}`);
  assert.deepEqual([quotes.type, spaces.type, slashes.type], ['invalid', 'invalid', 'invalid']);
});

test('unknown directives and unusable formats throw LogFormatError', () => {
  const cases = [
    '%h %t %>s %Z',
    '%h %{%d/%b/%Y}t %>s',
    '%h %t "%r" %>s %',
    '%h %{Referer %t %>s',
    '%h %r %b', // no time
    '%h %t "%r" %b', // no status
    '%h%u %t %>s', // adjacent directives that cannot be split
    'nonsense', // neither a name nor a format
  ];
  for (const format of cases) {
    assert.throws(
      () => resolveFormat(format),
      (err: unknown) => {
        assert.ok(err instanceof LogFormatError, format);
        assert.equal(err.name, 'LogFormatError');
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      },
    );
  }
  assert.match(
    String(
      (() => {
        try {
          resolveFormat('%h %t %>s %Z');
        } catch (e) {
          return e;
        }
      })(),
    ),
    /LogFormatError: unknown log format directive %Z/,
  );
});

test('the overlong-line marker of the string sources is invalid with reason overlong, in every format', async () => {
  const { OVERLONG_LINE } = await import('../../src/source/overlong.js');
  for (const format of ['auto', 'common', 'combined', 'vhost_combined', '%h %t "%r" %>s']) {
    const parsed = resolveFormat(format)(OVERLONG_LINE);
    assert.equal(parsed.type === 'invalid' && parsed.reason, 'overlong', format);
  }
});
