import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInfluxUrl } from '../../../src/sinks/influx/influxUrl.js';
import { SinkError } from '../../../src/errors.js';

test('1.x /write?db=: precision=ms is added, u/p/rp pass through', () => {
  const t = parseInfluxUrl('http://127.0.0.1:8086/write?db=web&rp=week&u=me&p=secret');
  assert.equal(t.api, 'v1');
  assert.equal(t.precision, 'ms');
  assert.equal(t.writeUrl, 'http://127.0.0.1:8086/write?db=web&rp=week&u=me&p=secret&precision=ms');
  assert.equal(t.display, 'http://127.0.0.1:8086/write?db=web&rp=week&u=me&p=***&precision=ms');
  assert.equal(t.headers['Authorization'], undefined);
});

test('a precision already in the URL is kept and used for encoding; 1.x spellings differ from 2.x', () => {
  assert.equal(parseInfluxUrl('http://h:8086/write?db=web&precision=s').precision, 's');
  assert.equal(parseInfluxUrl('http://h:8086/write?db=web&precision=u').precision, 'us');
  assert.equal(parseInfluxUrl('http://h:8086/api/v2/write?bucket=b&precision=ns').precision, 'ns');
  // 1.x reads `us` as nanoseconds without complaint: refuse it rather than write wrong times.
  assert.throws(() => parseInfluxUrl('http://h:8086/write?db=web&precision=us'), {
    name: 'SinkError',
    message: /unsupported precision "us" \(use s, ms, u, n\)/,
  });
  assert.throws(() => parseInfluxUrl('http://h:8086/api/v2/write?bucket=b&precision=h'), SinkError);
});

test('2.x/3.x /api/v2/write with a token', () => {
  const t = parseInfluxUrl('https://influx.example:8086/api/v2/write?org=acme&bucket=web', 'tok123==');
  assert.equal(t.api, 'v2');
  assert.equal(t.writeUrl, 'https://influx.example:8086/api/v2/write?org=acme&bucket=web&precision=ms');
  assert.equal(t.headers['Authorization'], 'Token tok123==');
});

test('the token header is also sent to 1.x; user info becomes basic auth and leaves the URL', () => {
  assert.equal(parseInfluxUrl('http://h:8086/write?db=web', 'user:pass').headers['Authorization'], 'Token user:pass');
  const t = parseInfluxUrl('http://me:s%40cret@h:8086/write?db=web');
  assert.equal(t.headers['Authorization'], `Basic ${Buffer.from('me:s@cret').toString('base64')}`);
  assert.equal(t.writeUrl, 'http://h:8086/write?db=web&precision=ms');
});

test('a bare base URL is completed from its parameters; a path prefix (proxy) is kept', () => {
  assert.equal(parseInfluxUrl('http://h:8086?db=web').writeUrl, 'http://h:8086/write?db=web&precision=ms');
  assert.equal(parseInfluxUrl('http://h:8086/?bucket=b').writeUrl, 'http://h:8086/api/v2/write?bucket=b&precision=ms');
  assert.equal(parseInfluxUrl('http://proxy/influx/write/?db=web').writeUrl, 'http://proxy/influx/write?db=web&precision=ms');
});

test('bad URLs throw SinkError with a one-line message', () => {
  const cases: [string, RegExp][] = [
    ['not a url', /not a URL/],
    ['ftp://h/write?db=web', /scheme must be http or https, not ftp/],
    ['file:///tmp/x', /scheme must be http or https/],
    ['http://h:8086/write', /db= parameter is missing/],
    ['http://h:8086/api/v2/write?org=o', /bucket= parameter is missing/],
    ['http://h:8086/query?db=web', /expected a \/write\?db=NAME/],
    ['http://h:8086', /expected a \/write/],
    ['http://h:99999/write?db=web', /not a URL/],
  ];
  for (const [url, message] of cases) {
    let caught: unknown;
    try {
      parseInfluxUrl(url);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof SinkError, url);
    assert.equal(caught.name, 'SinkError');
    assert.match(caught.message, message);
    assert.doesNotMatch(caught.message, /\n/);
  }
});

test('secrets never appear in error messages', () => {
  assert.throws(
    () => parseInfluxUrl('ftp://me:hunter2@h/write?db=web&p=hunter2'),
    (err: Error) => !err.message.includes('hunter2'),
  );
});

test('a token that cannot be a header value is refused up front', () => {
  assert.throws(() => parseInfluxUrl('http://h:8086/write?db=web', 'abc\ndef'), { name: 'SinkError', message: /invalid InfluxDB token/ });
  assert.throws(() => parseInfluxUrl('http://h:8086/write?db=web', ''), SinkError);
});
