import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LOG_FORMATS, parseApacheTime, resolveFormat } from '../../src/parse/index.js';
import { ByteLineParser, SECTION_SEEDS, segmentEnd, spaceOrColon } from '../../src/parse/byteLineParser.js';
import { ByteFormatParser } from '../../src/parse/byteFormatParser.js';
import { ByteTimeReader } from '../../src/parse/byteTime.js';
import { Shape, shapeOf } from '../../src/parse/byteShape.js';
import { IdCounts } from '../../src/core/idCounts.js';
import { InternTable } from '../../src/parse/internTable.js';

const view = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

// --- the byte parser's contract: when it answers, it answers as the string parser ------------

const SHAPES: ReadonlyArray<[string, Shape]> = [
  ['auto', Shape.Auto],
  ['common', Shape.CommonTrailing],
  ['combined', Shape.CombinedTrailing],
  ['vhost_combined', Shape.VhostCombinedTrailing],
  ['%h %l %u %t "%r" %>s %b', Shape.Common],
  ['%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"', Shape.Combined],
  ['%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"', Shape.VhostCombined],
];

function byteParser(shape: Shape): { parser: ByteLineParser; hosts: InternTable; sections: InternTable } {
  const hosts = new InternTable(10);
  const sections = new InternTable(10, SECTION_SEEDS);
  return { parser: new ByteLineParser(shape, hosts, sections), hosts, sections };
}

/** The byte parser on `bytes` (a line without terminator), checked against the string parser. */
function checkLine(format: string, shape: Shape, bytes: Buffer): boolean {
  const { parser, hosts, sections } = byteParser(shape);
  const parsed = resolveFormat(format)(bytes.toString('utf8'));
  const end = bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
  if (!parser.parse(bytes, 0, end)) return false;
  assert.equal(parsed.type, 'record', `byte parser accepted what the string parser rejects: ${JSON.stringify(bytes.toString('utf8'))}`);
  if (parsed.type !== 'record') return true;
  const { fields } = parser;
  assert.deepStrictEqual(
    {
      time: fields.time,
      host: hosts.nameOf(fields.hostId),
      section: sections.nameOf(fields.sectionId),
      status: fields.status,
      bytes: fields.bytes,
    },
    { time: parsed.time, host: parsed.host, section: parsed.section, status: parsed.status, bytes: parsed.bytes },
    JSON.stringify(bytes.toString('utf8')),
  );
  return true;
}

const TIME = '[10/Oct/2026:13:55:36 +0200]';

test('byte parser: the named formats (and their LogFormat strings) are read on bytes', () => {
  for (const [name, shape] of SHAPES) assert.equal(shapeOf(name), shape, name);
  assert.equal(shapeOf('%h %t "%r" %>s'), undefined);
});

test('byte parser: answers for ordinary lines (else monitorFile silently falls back to the slow path)', () => {
  const common = `192.168.1.1 - frank ${TIME} "GET /api/users?id=1 HTTP/1.1" 200 2326`;
  const combined = `${common} "http://example.com/" "Mozilla/5.0 (X11)"`;
  const lines: Array<[string, Shape, string]> = [
    ['auto', Shape.Auto, common],
    ['auto', Shape.Auto, combined],
    ['common', Shape.CommonTrailing, common],
    ['combined', Shape.CombinedTrailing, combined],
    ['vhost_combined', Shape.VhostCombinedTrailing, `www.example.com:443 ${combined}`],
    ['common', Shape.CommonTrailing, `${combined} 0.004`],
    ['combined', Shape.CombinedTrailing, `${combined} 0.004 "203.0.113.9"`],
    ['vhost_combined', Shape.VhostCombinedTrailing, `www.example.com:443 ${combined} 0.004`],
    [LOG_FORMATS['common'] as string, Shape.Common, common],
    [LOG_FORMATS['combined'] as string, Shape.Combined, combined],
    ['auto', Shape.Auto, `2001:db8::1 - - ${TIME} "GET / HTTP/2.0" 304 - "-" "ua"`],
    ['auto', Shape.Auto, `10.0.0.1 - - ${TIME} "GET /ünï/x HTTP/1.1" 200 5 "-" "🦊"`],
  ];
  for (const [format, shape, line] of lines) assert.ok(checkLine(format, shape, Buffer.from(line)), `${format}: ${line}`);
});

test('byte parser: property: on any line, it either declines or agrees with the string parser', () => {
  const pick = <T>(...values: T[]) => fc.constantFrom(...values);
  /** What the shape reads after the bytes field, and before the host. */
  const fitting: Record<Shape, { vhost: string; tail: string }> = {
    [Shape.Auto]: { vhost: '', tail: ' "-" "Mozilla/5.0"' },
    [Shape.Common]: { vhost: '', tail: '' },
    [Shape.Combined]: { vhost: '', tail: ' "http://r/" "ua \\"q\\""' },
    [Shape.VhostCombined]: { vhost: 'www.example.com:443 ', tail: ' "-" "ua"' },
    [Shape.CommonTrailing]: { vhost: '', tail: ' "-" "ua" 0.004' },
    [Shape.CombinedTrailing]: { vhost: '', tail: ' "http://r/" "ua \\"q\\"" 0.004 "-"' },
    [Shape.VhostCombinedTrailing]: { vhost: 'www.example.com:443 ', tail: ' "-" "ua" 0.004' },
  };
  const lineArb = (shape: Shape) =>
    fc
      .record({
        fits: fc.boolean(),
        vhost: pick('', '', 'www.example.com:443 ', 'h:80 ', 'nocolon '),
        host: pick('1.2.3.4', '10.0.0.1', '::1', '2001:db8::7', 'hôte', '', 'a\\b', 'x"y'),
        ident: pick('-', '-', 'id', ''),
        user: pick('-', '-', 'frank', 'a b', '[x'),
        time: pick(
          TIME,
          TIME,
          TIME,
          TIME,
          '[10/Oct/2026:13:55:37 -0500]',
          '[29/Feb/2024:23:59:59 +1800]',
          '[29/Feb/2026:00:00:00 +0000]',
          '[10/Oct/2026:24:00:00 +0000]',
          '[1/Oct/2026:13:55:36 +0000]',
          '[10/Oct/2026:13:55:36 +0000',
          '[10/Oct/2026:13:55:36 +0000]x',
        ),
        request: pick(
          'GET /a/b?c HTTP/1.1',
          'GET /a/b?c HTTP/1.1',
          'GET / HTTP/1.1',
          'POST /api HTTP/2.0',
          'GET /x',
          '-',
          'GET  /x HTTP/1.1',
          'G(T /x HTTP/1.1',
          'GET http://h/p/q HTTP/1.1',
          'OPTIONS * HTTP/1.1',
          'GET /a#b c HTTP/1.1',
          'GET /q\\"x HTTP/1.1',
          'GET /ü/x HTTP/1.1',
          'GET',
          '',
          'GET /a\\\\ HTTP/1.1',
          'SSH-2.0-ShodanCrawler_1.6 http://x/research',
          'HEAD /old',
          'FOO /x BAR',
          'GET /x HTTP/',
          'GET /x HTTP/1.1 ',
        ),
        status: pick('200', '200', '200', '304', '404', '503', '099', '2000', '20', 'abc'),
        bytes: pick('512', '512', '-', '0', '123456789012345', '1234567890123456', '12a', ''),
        tail: pick(
          '',
          ' "-" "Mozilla/5.0"',
          ' "http://r/" "ua \\"q\\""',
          ' "-" "ua" 0.004',
          ' extra',
          '"-" "ua"',
          ' "-"',
          ' "-" "ua',
          '\r',
        ),
        mutation: fc.option(fc.tuple(fc.nat(120), pick('', ' ', '"', '\\', '[', ']', '\r', '\uFEFF', 'é', '\uFFFD', ':', '/')), {
          freq: 2,
        }),
      })
      .map(({ fits, vhost, host, ident, user, time, request, status, bytes, tail, mutation }) => {
        const around = fits ? fitting[shape] : { vhost, tail };
        const line = `${around.vhost}${host} ${ident} ${user} ${time} "${request}" ${status} ${bytes}${around.tail}`;
        if (mutation === null) return line;
        const [at, ch] = mutation;
        const i = at % (line.length + 1);
        return line.slice(0, i) + ch + line.slice(i + (ch === '' ? 1 : 0));
      });
  let answered = 0;
  fc.assert(
    fc.property(
      fc.constantFrom(...SHAPES).chain(([format, shape]) => fc.tuple(fc.constant(format), fc.constant(shape), lineArb(shape))),
      fc.boolean(),
      ([format, shape, line], latin1) => {
        // latin1: the same characters as single bytes, so that non-ASCII text becomes invalid UTF-8.
        if (checkLine(format, shape, Buffer.from(line, latin1 ? 'latin1' : 'utf8'))) answered++;
      },
    ),
    { seed: 4242, numRuns: 7000 },
  );
  assert.ok(answered > 400, `the byte parser answered for ${answered} lines only`);
});

test('an empty client (a line that starts with a space) is no_match in every parser, and no byte parser takes it', () => {
  const rest = `1.1.1.1 - - ${TIME} "GET /a HTTP/1.1" 200 5 "-" "-"`;
  const lines: Array<[string, string]> = [
    ...SHAPES.filter(([, shape]) => shape !== Shape.VhostCombined && shape !== Shape.VhostCombinedTrailing).map(
      ([format]): [string, string] => [format, ` ${rest}`],
    ),
    ['auto', `www.example.com:443  ${rest}`],
    ['vhost_combined', `www.example.com:443  ${rest}`],
    [LOG_FORMATS['vhost_combined'] as string, `www.example.com:443  ${rest}`],
  ];
  for (const [format, line] of lines) {
    const parsed = resolveFormat(format)(line);
    assert.equal(parsed.type === 'invalid' && parsed.reason, 'no_match', `${format}: ${JSON.stringify(line)}`);
    const shape = shapeOf(format) as Shape;
    assert.equal(byteParser(shape).parser.parse(Buffer.from(line), 0, line.length), false, `byte parser, ${format}`);
  }
  for (const format of ['%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"', '%a %l %u %t "%r" %>s %b']) {
    const line = ` ${rest}`;
    const parsed = resolveFormat(format)(line);
    assert.equal(parsed.type === 'invalid' && parsed.reason, 'no_match', format);
    const custom = ByteFormatParser.of(format, new InternTable(4), new InternTable(4, SECTION_SEEDS));
    assert.equal(custom?.parse(Buffer.from(line), 0, line.length), false, `custom byte parser, ${format}`);
  }
});

test('a request line that is not METHOD TARGET HTTP/x has section "-", in both parsers (an SSH banner sent to the HTTP port)', () => {
  const cases: Array<[string, string]> = [
    ['SSH-2.0-ShodanCrawler_1.6 http://x/research', '-'],
    ['HEAD /old', '-'], // HTTP/0.9 had GET only
    ['FOO /x BAR', '-'],
    ['GET /x HTTP/', '-'],
    ['GET /a b', '-'],
    ['GET /x HTTP/1.1 ', '-'],
    ['GET /x HTTPx1.1', '-'],
    ['GET /old', '/old'],
    ['GET /x/y HTTP/2', '/x'],
    ['PROPFIND /dav/a HTTP/1.1', '/dav'],
    ['GET http://h/p/q HTTP/1.1', '/p'],
    // Around the last space, whose usual place (before an 8-byte `HTTP/x.y`) is tried first.
    ['GET /x HTTP/1. ', '-'],
    ['GET /x HTTP/. 1', '-'],
    ['GET /x HTTP/ .1', '-'],
    ['GET /x HTTP/1.1 ', '-'],
    ['GET /x HTTPx1.1', '-'],
    ['GET /x HTTPS/1.1', '-'],
    ['GET /x HTTP 1.1', '-'],
    ['GET /x HTTP/1.10', '/x'],
    ['GET /HTTP/1.1', '/HTTP'],
    ['GET /a HTTP/1.1', '/a'],
    ['GET /a b HTTP/1.1', '/a b'],
  ];
  const custom = '%h %l %u %t "%r" %>s %b';
  for (const [request, section] of cases) {
    const line = `1.2.3.4 - - ${TIME} "${request}" 400 0`;
    const parsed = resolveFormat('auto')(line);
    assert.equal(parsed.type === 'record' && parsed.section, section, request);
    if (section === '-') assert.deepEqual(parsed.type === 'record' && [parsed.method, parsed.path], ['', '-'], request);
    assert.ok(checkLine('auto', Shape.Auto, Buffer.from(line)), `the byte parser answers: ${request}`);
    const sections = new InternTable(4, SECTION_SEEDS);
    const bytes = ByteFormatParser.of(custom, new InternTable(4), sections);
    if (bytes === undefined) return assert.fail('no byte parser for Common spelt out');
    assert.ok(bytes.parse(Buffer.from(line), 0, line.length), `custom: ${request}`);
    assert.equal(sections.nameOf(bytes.fields.sectionId), section, `custom: ${request}`);
  }
});

test('byte parsers: a quote search that runs past its line (no closing quote) finds nothing in it, and the next line still parses', () => {
  const good = `1.2.3.4 - - ${TIME} "GET /a HTTP/1.1" 200 5 "-" "agent"`;
  const cases: Array<[string, string]> = [
    [`1.2.3.4 - - ${TIME} "GET /a HTTP/1.1 200 5 - agent`, 'request'],
    [`1.2.3.4 - - ${TIME} "GET /a HTTP/1.1" 200 5 "- agent`, 'referer'],
    [`1.2.3.4 - - ${TIME} "GET /a HTTP/1.1" 200 5 "-" "agent`, 'user agent'],
  ];
  for (const [bad, field] of cases) {
    // One buffer holding both lines, as in a chunk: the search for the bad line's closing quote meets the next line's quotes.
    const b = Buffer.from(`${bad}\n${good}\n`, 'latin1');
    const badEnd = bad.length;
    for (const [shape, format] of [
      [Shape.Combined, 'combined'],
      [Shape.Auto, 'auto'],
    ] as const) {
      const { parser } = byteParser(shape);
      if (field === 'request' || shape === Shape.Combined)
        assert.equal(parser.parse(b, 0, badEnd), false, `${format}: no closing quote of the ${field}`);
      assert.equal(parser.parse(b, badEnd + 1, b.length - 1), true, `${format}: the next line (${field})`);
    }
    const custom = ByteFormatParser.of(
      '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
      new InternTable(4),
      new InternTable(4, SECTION_SEEDS),
    );
    assert.ok(custom !== undefined);
    assert.equal(custom.parse(b, 0, badEnd), false, `custom: no closing quote of the ${field}`);
    assert.equal(custom.parse(b, badEnd + 1, b.length - 1), true, `custom: the next line (${field})`);
  }
});

test('custom LogFormat byte parser: property: on any line, it either declines or agrees with the string parser', () => {
  const pick = <T>(...values: T[]) => fc.constantFrom(...values);
  const FORMATS = [
    '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
    '%a %t "%r" %s %B %D',
    '%v %h [%{X-Forwarded-For}i] %t "%m %U%q %H" %>s %O',
    '%h|%t|%r|%>s|%b',
    '%{X-Real-IP}i - %u %t "%r" %>s %b rt=%T',
  ];
  const fieldArb = fc.record({
    host: pick('1.2.3.4', '::1', 'hôte', '', 'a b', 'x"y', '10.0.0.1'),
    time: pick(
      TIME,
      TIME,
      TIME,
      '10/Oct/2026:13:55:36 +0200',
      '[29/Feb/2026:00:00:00 +0000]',
      '[10/Oct/2026:13:55:36 +0000',
      '[10/Oct/2026:24:00:00 +0000]',
    ),
    method: pick('GET', 'POST', 'G(T', ''),
    path: pick('/a/b', '/', '/ü/x', 'http://h/p', '*', '', '/q\\"x'),
    query: pick('', '?x=1', '?'),
    status: pick('200', '200', '404', '099', '2000', 'abc'),
    bytes: pick('512', '-', '0', '12a', '1234567890123456'),
    extra: pick('0.004', '17', '-', 'a b'),
    mutation: fc.option(fc.tuple(fc.nat(120), pick('', ' ', '"', '\\', '[', ']', '|', '\r', '\uFEFF', 'é', '?')), { freq: 2 }),
  });
  const lineOf = (format: string, f: object): string => {
    const v = f as Record<string, string>;
    const request = `${v['method']} ${v['path']}${v['query']} HTTP/1.1`;
    const t = (v['time'] as string).startsWith('[') ? (v['time'] as string) : `[${v['time']}]`;
    return format
      .replaceAll('%{User-Agent}i', 'Mozilla/5.0')
      .replaceAll('%{Referer}i', '-')
      .replaceAll('%{X-Forwarded-For}i', `${v['host']}, 10.0.0.9`)
      .replaceAll('%{X-Real-IP}i', v['host'] as string)
      .replaceAll('%m %U%q %H', `${v['method']} ${v['path']}${v['query']} HTTP/1.1`)
      .replaceAll('%h', v['host'] as string)
      .replaceAll('%a', v['host'] as string)
      .replaceAll('%v', 'www.example.com')
      .replaceAll('%l', '-')
      .replaceAll('%u', '-')
      .replaceAll('%t', t)
      .replaceAll('%r', request)
      .replaceAll('%>s', v['status'] as string)
      .replaceAll('%s', v['status'] as string)
      .replaceAll('%b', v['bytes'] as string)
      .replaceAll('%B', v['bytes'] as string)
      .replaceAll('%O', v['bytes'] as string)
      .replaceAll('%D', v['extra'] as string)
      .replaceAll('%T', v['extra'] as string);
  };
  let answered = 0;
  let records = 0;
  fc.assert(
    fc.property(fc.constantFrom(...FORMATS), fieldArb, fc.boolean(), (format, fields, latin1) => {
      let line = lineOf(format, fields);
      if (fields.mutation !== null) {
        const [at, ch] = fields.mutation;
        const i = at % (line.length + 1);
        line = line.slice(0, i) + ch + line.slice(i + (ch === '' ? 1 : 0));
      }
      const bytes = Buffer.from(line, latin1 ? 'latin1' : 'utf8');
      const hosts = new InternTable(10);
      const sections = new InternTable(10, SECTION_SEEDS);
      const parser = ByteFormatParser.of(format, hosts, sections);
      assert.ok(parser !== undefined, format);
      const parsed = resolveFormat(format)(bytes.toString('utf8'));
      const end = bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      if (parsed.type === 'record') records++;
      if (!parser.parse(bytes, 0, end)) return;
      answered++;
      assert.equal(parsed.type, 'record', `byte parser accepted what the string parser rejects: ${JSON.stringify(line)} (${format})`);
      if (parsed.type !== 'record') return;
      const { fields: f } = parser;
      assert.deepStrictEqual(
        { time: f.time, host: hosts.nameOf(f.hostId), section: sections.nameOf(f.sectionId), status: f.status, bytes: f.bytes },
        { time: parsed.time, host: parsed.host, section: parsed.section, status: parsed.status, bytes: parsed.bytes },
        `${JSON.stringify(line)} (${format})`,
      );
    }),
    { seed: 4243, numRuns: 5000 },
  );
  assert.ok(answered > 400 && answered > records * 0.7, `the custom byte parser answered for ${answered} of ${records} records only`);
  assert.equal(
    ByteFormatParser.of('%h \u00e9 %t %>s', new InternTable(4), new InternTable(4, SECTION_SEEDS)),
    undefined,
    'a non-ASCII literal: no byte parser',
  );
});

// --- the time of `%t` on bytes ------------------------------------------------------------

test('byte time: property: the value and validity of parseApacheTime, for valid and damaged times', () => {
  const digit = fc.integer({ min: 0, max: 9 }).map(String);
  const anyChar = fc.constantFrom('0', '1', '2', '3', '5', '9', ':', '/', ' ', '+', '-', 'a', 'O', 'é');
  const valid = fc
    .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
    .chain((d) => fc.tuple(fc.constant(d), fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 61 })));
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const text = valid.chain(([d, sign, zh, zm]) => {
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    const s = `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${p(d.getUTCFullYear(), 4)}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${sign}${p(zh)}${p(zm)}`;
    return fc
      .tuple(fc.constant(s), fc.nat(25), fc.oneof(digit, anyChar), fc.boolean())
      .map(([t, at, ch, damage]) => (damage ? t.slice(0, at) + ch + t.slice(at + 1) : t));
  });
  const reader = new ByteTimeReader();
  fc.assert(
    fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (texts) => {
      // Several in a row: the reader caches the day of the last one.
      for (const t of texts) {
        const bytes = Buffer.from(`x${t}`, 'latin1');
        const expected = parseApacheTime(t);
        const ok = reader.read(bytes, view(bytes), 1);
        assert.equal(ok, expected !== undefined, t);
        if (ok) assert.equal(reader.time, expected, t);
      }
    }),
    { seed: 7, numRuns: 3000 },
  );
});

// --- interned ids -------------------------------------------------------------------------

test('intern table: one id per string, whether it comes as bytes or as text, even through bad UTF-8', () => {
  const table = new InternTable(8, ['-', '/']);
  const idOfBytes = (b: Buffer): number => table.intern(b, view(b), 0, b.length);
  assert.equal(table.idOf('-'), 0);
  assert.equal(table.idOf('/'), 1);
  const a = idOfBytes(Buffer.from('10.0.0.1'));
  assert.equal(idOfBytes(Buffer.from('10.0.0.1')), a);
  assert.equal(table.idOf('10.0.0.1'), a);
  assert.equal(table.nameOf(a), '10.0.0.1');
  // 0xff and 0xfe both decode to U+FFFD.
  const bad = idOfBytes(Buffer.from([0x61, 0xff]));
  assert.equal(idOfBytes(Buffer.from([0x61, 0xfe])), bad);
  assert.equal(table.idOf('a\uFFFD'), bad);
  assert.equal(idOfBytes(Buffer.from('hôte')), table.idOf('hôte'));
  const long = 'x'.repeat(300);
  assert.equal(idOfBytes(Buffer.from(long)), table.idOf(long));
  assert.equal(idOfBytes(Buffer.from('')), table.idOf(''));
});

test('intern table: when full it calls onClear, then starts a new generation from the seeds', () => {
  const table = new InternTable(4, ['-']); // 8 ids per generation
  const seen: string[] = [];
  table.onClear = () => seen.push(table.nameOf(1));
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((s) => table.idOf(s));
  assert.deepStrictEqual(ids, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(table.generation, 0);
  assert.equal(table.idOf('h'), 1);
  assert.deepStrictEqual(seen, ['a']);
  assert.equal(table.generation, 1);
  assert.equal(table.nameOf(0), '-');
  assert.equal(table.nameOf(1), 'h');
  assert.equal(table.idOf('a'), 2);
});

test('id counts: property: the counts of a Map, through growth and reuse', () => {
  const counts = new IdCounts();
  fc.assert(
    fc.property(fc.array(fc.nat(5000), { maxLength: 3000 }), (ids) => {
      counts.clear();
      const expected = new Map<number, number>();
      for (const id of ids) {
        counts.add(id);
        expected.set(id, (expected.get(id) ?? 0) + 1);
      }
      const actual = new Map<number, number>();
      counts.forEach((id, n) => {
        actual.set(id, n);
      });
      assert.equal(counts.size, expected.size);
      assert.deepStrictEqual(actual, expected);
    }),
    { seed: 99, numRuns: 200 },
  );
});

test('word-at-a-time searches: property: the index of the first byte sought, as a byte loop finds it (any bytes, any alignment)', () => {
  const naive = (b: Buffer, i: number, end: number, sought: number[]): number => {
    let k = i;
    while (k < end && !sought.includes(b[k] as number)) k++;
    return k;
  };
  // Bytes next to the ones sought (0x1f/0x21, 0x2e/0x30...), high bytes whose borrows could fool a word test, and the sought ones.
  const byte = fc.oneof(
    fc.constantFrom(0x20, 0x3a, 0x2f, 0x3f, 0x23, 0x1f, 0x21, 0x2e, 0x30, 0x39, 0x3b, 0x00, 0x01, 0x80, 0xa0, 0xba, 0xff, 0x61),
    fc.integer({ min: 0, max: 255 }),
  );
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 40 }), fc.nat(40), fc.nat(40), (bytes, from, cut) => {
      const b = Buffer.from(bytes);
      const view = new DataView(b.buffer, b.byteOffset, b.length);
      const end = Math.max(0, b.length - (cut % (b.length + 1)));
      const i = Math.min(from, end);
      assert.equal(spaceOrColon(b, view, i, end), naive(b, i, end, [0x20, 0x3a]));
      assert.equal(segmentEnd(b, view, i, end), naive(b, i, end, [0x2f, 0x3f, 0x23]));
    }),
    { seed: 77, numRuns: 5000 },
  );
});
