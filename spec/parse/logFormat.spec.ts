import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLogFormat, resolveFormat, LOG_FORMATS } from '../../src/parse/index.js';
import type { AccessRecord, ParsedLine } from '../../src/types.js';

const T = Date.UTC(2000, 9, 10, 20, 55, 36); // 10/Oct/2000:13:55:36 -0700
const COMMON = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326';
const COMBINED = `${COMMON} "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`;

function record(fields: Partial<AccessRecord>): AccessRecord {
  return {
    type: 'record',
    time: T,
    host: '127.0.0.1',
    section: '/apache_pb.gif',
    status: 200,
    bytes: 2326,
    method: 'GET',
    path: '/apache_pb.gif',
    ...fields,
  };
}

function reason(parsed: ParsedLine): string {
  return parsed.type === 'invalid' ? parsed.reason : 'record';
}

test('common: the Apache documentation example', () => {
  assert.deepEqual(resolveFormat('common')(COMMON), record({}));
  // Fields after the last one (after a space) are allowed, as with auto.
  assert.deepEqual(resolveFormat('common')(COMBINED), record({}));
  assert.equal(reason(resolveFormat('common')(`${COMMON}x`)), 'bad_bytes');
  // The LogFormat string given in full is strict: %b runs to the end of the line.
  assert.equal(reason(resolveFormat(LOG_FORMATS['common'] ?? '')(COMBINED)), 'bad_bytes');
});

test('combined: fills every field and skips referer and user agent', () => {
  assert.deepEqual(resolveFormat('combined')(COMBINED), record({}));
  assert.equal(reason(resolveFormat('combined')(COMMON)), 'no_match');
  assert.equal(reason(resolveFormat(LOG_FORMATS['combined'] ?? '')(`${COMBINED} extra`)), 'no_match');
  assert.equal(reason(resolveFormat('combined')(`${COMBINED}x`)), 'no_match');
});

test('named formats take the fields nginx writes after the user agent ($request_time, main\'s "$http_x_forwarded_for")', () => {
  const nginxMain = `${COMBINED} "203.0.113.9, 10.0.0.1"`;
  const timed = `${COMBINED} 0.012`;
  for (const name of ['common', 'combined']) {
    assert.deepEqual(resolveFormat(name)(nginxMain), record({}), name);
    assert.deepEqual(resolveFormat(name)(timed), record({}), name);
  }
  assert.deepEqual(
    resolveFormat('vhost_combined')(`www.example.com:443 ${timed}`),
    resolveFormat('vhost_combined')(`www.example.com:443 ${COMBINED}`),
  );
  assert.equal(reason(resolveFormat('vhost_combined')(`www.example.com:443 ${timed}`)), 'record');
});

test('auto reads vhost_combined lines (Debian other_vhosts_access.log): the client is the second field, never the vhost', () => {
  const parse = resolveFormat('auto');
  const vhost = 'example.org:443 203.0.113.5 - - [06/Aug/2024:00:01:35 +0000] "GET /a/b HTTP/1.1" 200 6383 "-" "UA"';
  assert.deepEqual(parse(vhost), {
    type: 'record',
    time: Date.UTC(2024, 7, 6, 0, 1, 35),
    host: '203.0.113.5',
    section: '/a',
    status: 200,
    bytes: 6383,
    method: 'GET',
    path: '/a/b',
  });
  assert.deepEqual(parse(vhost), resolveFormat('vhost_combined')(vhost));
  assert.equal(reason(parse('example.org:443 203.0.113.5 - - [06/Aug/2024:00:01:35 +0000] "GET / HTTP/1.1" 2x0 1')), 'bad_status');
  // IPv6 clients in Common lines have two colons or more: never taken for a vhost.
  for (const host of ['2001:db8::1', '::1', 'fe80::1', '2001:0db8:0000:0000:0000:0000:0000:0001', '::ffff:192.0.2.1']) {
    const parsed = parse(COMMON.replace('127.0.0.1', host));
    assert.equal(parsed.type === 'record' && parsed.host, host, host);
  }
  // Not a port (empty, too long, not digits), or no name: read as Common (and so invalid here).
  for (const prefix of ['example.org:', 'example.org:123456', 'example.org:4a3', ':443']) {
    const parsed = parse(`${prefix} 203.0.113.5 - - [06/Aug/2024:00:01:35 +0000] "GET / HTTP/1.1" 200 1`);
    assert.ok(parsed.type === 'invalid' || parsed.host !== '203.0.113.5', prefix);
  }
});

test('auto (the default) reads common, combined and extended lines in one file', () => {
  const parse = resolveFormat('auto');
  const lines = [
    COMMON,
    COMBINED,
    `${COMBINED} "-" rt=0.012`, // nginx combined with extra fields
    '10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "POST /api/user?id=1 HTTP/1.1" 201 - "-" "curl/8.0"',
  ];
  const parsed = lines.map(parse);
  assert.deepEqual(parsed.slice(0, 3), [record({}), record({}), record({})]);
  assert.deepEqual(parsed[3], record({ host: '10.0.0.1', method: 'POST', path: '/api/user?id=1', section: '/api', status: 201, bytes: 0 }));
  assert.equal(reason(parse(`${COMMON}x`)), 'bad_bytes', 'trailing text must start with a space');
});

test('vhost_combined: virtual host and port first, bytes from %O', () => {
  const line = 'www.example.com:443 ::1 - - [10/Oct/2000:13:55:36 -0700] "GET /shop/cart HTTP/2.0" 304 181 "-" "Mozilla/5.0"';
  assert.deepEqual(
    resolveFormat('vhost_combined')(line),
    record({ host: '::1', path: '/shop/cart', section: '/shop', status: 304, bytes: 181 }),
  );
});

test('a custom format with %D %T %I %O and %{X-Forwarded-For}i: the duration from %D', () => {
  const parse = resolveFormat('%a %{X-Forwarded-For}i %t "%r" %>s %I %O %D %T');
  const line = '10.1.2.3 203.0.113.9, 198.51.100.7 [10/Oct/2000:13:55:36 -0700] "PUT /api/x HTTP/1.1" 204 512 99 1500 0';
  // %D wins over %T: 1500 µs.
  assert.deepEqual(parse(line), {
    ...record({ host: '10.1.2.3', method: 'PUT', path: '/api/x', section: '/api', status: 204, bytes: 99 }),
    duration: 0.0015,
  });
});

test('a custom format with %m %U%q %H, %s, %B, %v and %%', () => {
  const parse = compileLogFormat('%v %h %t %% "%m %U%q %H" %s %B');
  const line = 'site 192.0.2.1 [10/Oct/2000:13:55:36 -0700] % "DELETE /items/7?force=1 HTTP/1.1" 500 0';
  assert.deepEqual(
    parse(line),
    record({ host: '192.0.2.1', method: 'DELETE', path: '/items/7?force=1', section: '/items', status: 500, bytes: 0 }),
  );
  const noQuery = 'site 192.0.2.1 [10/Oct/2000:13:55:36 -0700] % "GET /items HTTP/1.1" 200 5';
  assert.equal((parse(noQuery) as AccessRecord).path, '/items');
});

test('formats with httpd.conf escapes (\\") and %<s / %>s / conditions / %{c}a', () => {
  const parse = compileLogFormat('%{c}a %l %u %t \\"%r\\" %<s %>s %400,501{User-agent}i');
  const line = '::ffff:10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 404 -';
  assert.deepEqual(parse(line), record({ host: '::ffff:10.0.0.1', path: '/', section: '/', status: 404, bytes: 0 }));
});

test('escaped quotes in the request, "-" bytes, IPv6 and host names', () => {
  const parse = resolveFormat('combined');
  const line = '2001:db8::1 - - [10/Oct/2000:13:55:36 -0700] "GET /q?s=\\"x\\"&t=\\\\ HTTP/1.1" 404 - "-" "agent \\"quoted\\""';
  assert.deepEqual(parse(line), record({ host: '2001:db8::1', path: '/q?s=\\"x\\"&t=\\\\', section: '/q', status: 404, bytes: 0 }));
  const named = 'crawl-66-249-66-1.googlebot.com - - [10/Oct/2000:13:55:36 -0700] "GET /robots.txt HTTP/1.1" 200 68 "-" "Googlebot"';
  assert.equal((parse(named) as AccessRecord).host, 'crawl-66-249-66-1.googlebot.com');
});

test('odd requests stay valid records: "-", TLS probes, HTTP/0.9, OPTIONS *, absolute form', () => {
  const parse = resolveFormat('auto');
  const at = (request: string): ParsedLine => parse(`1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "${request}" 400 0`);
  const unparsed = { type: 'record', time: T, host: '1.2.3.4', section: '-', status: 400, bytes: 0, method: '', path: '-' };
  assert.deepEqual(at('-'), unparsed);
  assert.deepEqual(at('\\x16\\x03\\x01\\x02'), unparsed);
  assert.deepEqual(at(''), unparsed);
  assert.deepEqual(at('GET'), unparsed);
  const fields = (p: ParsedLine): unknown => (p.type === 'record' ? [p.method, p.path, p.section] : p.reason);
  assert.deepEqual(fields(at('GET /old')), ['GET', '/old', '/old']);
  assert.deepEqual(fields(at('OPTIONS * HTTP/1.1')), ['OPTIONS', '*', '*']);
  assert.deepEqual(fields(at('GET http://example.com/api/x HTTP/1.1')), ['GET', 'http://example.com/api/x', '/api']);
  assert.deepEqual(fields(at('CONNECT example.com:443 HTTP/1.1')), ['CONNECT', 'example.com:443', '-']);
  assert.deepEqual(fields(at('PROPFIND /dav/a HTTP/1.1')), ['PROPFIND', '/dav/a', '/dav']);
  // Not METHOD TARGET HTTP/x (an SSH banner on the HTTP port), nor HTTP/0.9's GET: not a request line.
  assert.deepEqual(at('SSH-2.0-ShodanCrawler_1.6 http://x/research'), unparsed);
  assert.deepEqual(at('HEAD /old'), unparsed);
  assert.deepEqual(at('FOO /x BAR'), unparsed);
  assert.deepEqual(at('GET /x HTTP/'), unparsed);
  assert.deepEqual(fields(at('GET /x HTTP/2')), ['GET', '/x', '/x']);
});

test('a line with an empty first field (it starts with a space) is no_match, not a record with client ""', () => {
  const line = ' 1.1.1.1 - - [10/Oct/2026:13:55:36 +0000] "GET /a HTTP/1.1" 200 5 "-" "-"';
  for (const format of ['auto', 'common', 'combined', LOG_FORMATS['common'] ?? '', '%h %l %u %t "%r" %>s %b %{X}i %{Y}i']) {
    assert.equal(reason(resolveFormat(format)(line)), 'no_match', format);
  }
  assert.equal(reason(resolveFormat('auto')(`example.org:443 ${line}`)), 'no_match', 'vhost, then an empty client');
});

test('a trailing \\r and a leading byte-order mark are ignored', () => {
  assert.deepEqual(resolveFormat('common')(`${COMMON}\r`), record({}));
  assert.deepEqual(resolveFormat('common')(`\uFEFF${COMMON}`), record({}));
});

test('every named format compiles, through resolveFormat and compileLogFormat alike', () => {
  for (const name of ['auto', ...Object.keys(LOG_FORMATS)]) {
    assert.equal(typeof resolveFormat(name), 'function');
    assert.equal(typeof compileLogFormat(name), 'function');
  }
  assert.deepEqual(compileLogFormat('combined')(COMBINED), record({}));
  assert.deepEqual(compileLogFormat('auto')(`${COMBINED} extra`), record({}));
  assert.deepEqual(compileLogFormat(LOG_FORMATS['common'] ?? '', { allowTrailing: true })(`${COMBINED} x`), record({}));
});
