import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createEncoder,
  encodeEvent,
  escapeStringField,
  escapeTag,
  formatTimestamp,
  MAX_TAG_VALUE_LENGTH,
} from '../../../src/sinks/influx/lineProtocol.js';
import { SinkError } from '../../../src/errors.js';
import type { AlertEvent, StatsEvent } from '../../../src/types.js';

const T0 = Date.UTC(2026, 0, 1); // 1767225600000
const stats = (over: Partial<StatsEvent> = {}): StatsEvent => ({
  type: 'stats',
  start: T0,
  end: T0 + 10_000,
  hits: 42,
  bytes: 9000,
  hosts: 3,
  sections: [
    { name: '/api', hits: 30 },
    { name: '/', hits: 12 },
  ],
  status: { '2xx': 40, '4xx': 2 },
  invalid: 1,
  late: 2,
  ...over,
});
const alert: AlertEvent = { type: 'alert', state: 'firing', at: T0 + 120_000, hits: 1300, rate: 10.833333333333334, threshold: 10 };

test('a stats event: one interval point and one point per top section, stamped with the window end (ms)', () => {
  assert.deepEqual(encodeEvent(stats()), [
    'apachescan_interval hits=42i,bytes=9000i,hosts=3i,invalid=1i,late=2i,rate=4.2,alert_rate=0.35,alert_threshold=10,status_1xx=0i,status_2xx=40i,status_3xx=0i,status_4xx=2i,status_5xx=0i 1767225610000',
    'apachescan_section,section=/api hits=30i 1767225610000',
    'apachescan_section,section=/ hits=12i 1767225610000',
  ]);
});

test('global tags go on every point, sorted by key with the point tag', () => {
  const encode = createEncoder({ tags: { zone: 'eu', host: 'web 1' } });
  const [interval, section] = encode(stats({ sections: [{ name: '/x', hits: 1 }] }));
  assert.match(interval ?? '', /^apachescan_interval,host=web\\ 1,zone=eu hits=42i,/);
  assert.equal(section, 'apachescan_section,host=web\\ 1,section=/x,zone=eu hits=1i 1767225610000');
  assert.deepEqual(
    encode(alert).map((l) => l.split(/(?<!\\) /)[0]),
    ['apachescan_alert,host=web\\ 1,state=firing,zone=eu'],
  );
});

test('an alert event: state tag, integer hits, float rate and threshold, a quoted message', () => {
  assert.deepEqual(encodeEvent(alert), [
    'apachescan_alert,state=firing hits=1300i,rate=10.833333333333334,threshold=10,message="High traffic generated an alert - hits = 1300, triggered at 2026-01-01T00:02:00Z" 1767225720000',
  ]);
  const [recovered] = encodeEvent({ ...alert, state: 'recovered', hits: 0, rate: 0, threshold: 7.5 });
  assert.match(recovered ?? '', /^apachescan_alert,state=recovered hits=0i,rate=0,threshold=7\.5,message="Traffic recovered/);
});

test('summary events and events without a finite time are not encoded', () => {
  assert.deepEqual(encodeEvent({ type: 'summary', lines: 1, parsed: 1, invalid: 0, late: 0 }), []);
  assert.deepEqual(encodeEvent(stats({ end: Number.NaN })), []);
});

test('status classes beyond 5xx are kept; non-finite values leave the field out', () => {
  const [line] = encodeEvent(stats({ status: { '2xx': 1, '9xx': 3 }, bytes: Number.POSITIVE_INFINITY, start: T0 + 10_000, sections: [] }));
  assert.equal(
    line,
    'apachescan_interval hits=42i,hosts=3i,invalid=1i,late=2i,alert_rate=0.35,alert_threshold=10,status_1xx=0i,status_2xx=1i,status_3xx=0i,status_4xx=0i,status_5xx=0i,status_9xx=3i 1767225610000',
  );
  assert.deepEqual(
    encodeEvent({ ...alert, rate: Number.NaN }).map((l) => l.includes('rate=')),
    [false],
  );
});

test('timestamps in every precision (exact for us/ns beyond 2^53)', () => {
  assert.equal(formatTimestamp(T0 + 10_000, 's'), '1767225610');
  assert.equal(formatTimestamp(T0 + 10_500, 's'), '1767225610');
  assert.equal(formatTimestamp(T0 + 10_000, 'ms'), '1767225610000');
  assert.equal(formatTimestamp(T0 + 10_000, 'us'), '1767225610000000');
  assert.equal(formatTimestamp(T0 + 10_001, 'ns'), '1767225610001000000');
  assert.equal(encodeEvent(alert, { precision: 's' })[0]?.endsWith(' 1767225720'), true);
});

test('tag escaping: comma, space and equals sign get a backslash', () => {
  assert.equal(escapeTag('a,b c=d'), 'a\\,b\\ c\\=d');
  assert.equal(escapeTag('/plain-path_1.2'), '/plain-path_1.2');
  assert.equal(escapeTag('"quoted"'), '"quoted"');
});

test('tag escaping: newline, CR, tab and other control characters become \\xHH, never a raw line break', () => {
  assert.equal(escapeTag('a\nb\rc\td\u0000e\u007f\u0085'), 'a\\x0ab\\x0dc\\x09d\\x00e\\x7f\\x85');
});

test('tag escaping: a backslash becomes \\x5c, so none can escape a delimiter (InfluxDB 1.x cannot carry a trailing one)', () => {
  assert.equal(escapeTag('a\\'), 'a\\x5c');
  assert.equal(escapeTag('a\\,b'), 'a\\x5c\\,b');
  assert.equal(escapeTag('\\\\'), '\\x5c\\x5c');
});

test('long tag values are cut, never inside a surrogate pair', () => {
  assert.equal(escapeTag('x'.repeat(1000)).length, MAX_TAG_VALUE_LENGTH);
  const cut = escapeTag(`${'x'.repeat(MAX_TAG_VALUE_LENGTH - 1)}😀tail`);
  assert.equal(cut, 'x'.repeat(MAX_TAG_VALUE_LENGTH - 1));
});

test('string field escaping: quotes and backslashes, control characters as \\xHH', () => {
  assert.equal(escapeStringField('say "hi"'), 'say \\"hi\\"');
  assert.equal(escapeStringField('back\\slash\\'), 'back\\\\slash\\\\');
  assert.equal(escapeStringField('line1\nline2'), 'line1\\\\x0aline2');
});

test('hostile section names: every line stays one line with exactly two unescaped spaces', () => {
  const hostile = [
    '/a b',
    '/a,b',
    '/a=b',
    '/"quoted"',
    '/back\\slash',
    '/trailing\\',
    '/new\nline',
    '/cr\r\n',
    ' ',
    ',',
    '=',
    '\\',
    '',
    '/x\\ y',
    '/tab\there',
  ];
  const lines = encodeEvent(stats({ sections: hostile.map((name, i) => ({ name, hits: i + 1 })) }), { tags: { host: 'h\\ost\n' } });
  assert.equal(lines.length, hostile.length + 1);
  for (const line of lines) {
    assert.doesNotMatch(line, /[\n\r]/);
    // Unescaped spaces separate series key, fields and timestamp: there must be exactly two.
    const unescapedSpaces = line.replace(/\\[, =]/g, '').split(' ').length - 1;
    assert.equal(unescapedSpaces, 2, line);
    // Every backslash is an escape of a delimiter or the start of \xHH.
    assert.doesNotMatch(line.replace(/\\[, =]|\\x[0-9a-f]{2}/g, ''), /\\/, line);
  }
  assert.equal(lines[1], 'apachescan_section,host=h\\x5cost\\x0a,section=/a\\ b hits=1i 1767225610000');
  assert.equal(lines[13], 'apachescan_section,host=h\\x5cost\\x0a,section=(none) hits=13i 1767225610000');
});

test('bad global tags throw SinkError when the encoder is created', () => {
  assert.throws(() => createEncoder({ tags: { section: 'x' } }), { name: 'SinkError', message: /reserved/ });
  assert.throws(() => createEncoder({ tags: { host: '' } }), SinkError);
  assert.throws(() => createEncoder({ tags: { '': 'x' } }), SinkError);
});

test('every interval carries the alert-window rate and the threshold, not only alert transitions', () => {
  const encode = createEncoder({ alertWindow: 30_000, threshold: 2.5 });
  const t = Date.UTC(2026, 0, 1);
  const stats = (i: number, hits: number) => ({
    type: 'stats' as const,
    start: t + i * 10_000,
    end: t + (i + 1) * 10_000,
    hits,
    bytes: 0,
    hosts: 0,
    sections: [],
    status: {},
    invalid: 0,
    late: 0,
  });
  const fields = (i: number, hits: number): Record<string, string> =>
    Object.fromEntries(
      (encode(stats(i, hits))[0] ?? '')
        .split(' ')[1]
        ?.split(',')
        .map((kv) => kv.split('=') as [string, string]) ?? [],
    );
  const seen = [fields(0, 30), fields(1, 60), fields(2, 0), fields(3, 0), fields(5, 90)];
  // 30 s window: (30) / 30, (30 + 60) / 30, (30 + 60 + 0) / 30, (60 + 0 + 0) / 30, then a gap: (0 + 0 + 90) / 30.
  assert.deepEqual(
    seen.map((f) => Number(f['alert_rate'])),
    [1, 3, 3, 2, 3],
  );
  assert.deepEqual(
    seen.map((f) => f['alert_threshold']),
    ['2.5', '2.5', '2.5', '2.5', '2.5'],
  );
  assert.throws(() => createEncoder({ alertWindow: 0 }), SinkError);
});
