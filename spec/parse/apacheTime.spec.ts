import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apacheTimeAt, parseApacheTime } from '../../src/parse/apacheTime.js';

test('parses %t with and without brackets into ms since the epoch', () => {
  const expected = Date.UTC(2000, 9, 10, 20, 55, 36);
  assert.equal(parseApacheTime('[10/Oct/2000:13:55:36 -0700]'), expected);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -0700'), expected);
});

test('honours the UTC offset: the same instant written in different zones', () => {
  const utc = parseApacheTime('10/Oct/2000:20:55:36 +0000');
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -0700'), utc);
  assert.equal(parseApacheTime('10/Oct/2000:22:55:36 +0200'), utc);
  assert.equal(parseApacheTime('10/Oct/2000:15:55:36 -0500'), utc);
  assert.equal(parseApacheTime('11/Oct/2000:02:25:36 +0530'), utc);
  // Crossing a year boundary through the offset.
  assert.equal(parseApacheTime('31/Dec/1999:23:30:00 -0100'), Date.UTC(2000, 0, 1, 0, 30, 0));
});

test('every month, and dates far from 1970', () => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  months.forEach((m, i) => {
    assert.equal(parseApacheTime(`01/${m}/2024:00:00:00 +0000`), Date.UTC(2024, i, 1), m);
  });
  assert.equal(parseApacheTime('01/Jan/1969:00:00:01 +0000'), Date.UTC(1969, 0, 1, 0, 0, 1));
  assert.equal(parseApacheTime('28/Feb/2100:12:00:00 +0000'), Date.UTC(2100, 1, 28, 12));
});

test('leap days: 29/Feb in leap years only (2000 and 2024 yes, 1900 and 2023 no)', () => {
  assert.equal(parseApacheTime('29/Feb/2024:00:00:00 +0000'), Date.UTC(2024, 1, 29));
  assert.equal(parseApacheTime('29/Feb/2000:00:00:00 +0000'), Date.UTC(2000, 1, 29));
  assert.equal(parseApacheTime('29/Feb/2023:00:00:00 +0000'), undefined);
  assert.equal(parseApacheTime('29/Feb/1900:00:00:00 +0000'), undefined);
});

test('rejects impossible dates, times, months and offsets', () => {
  for (const bad of [
    '31/Feb/2024:00:00:00 +0000',
    '31/Apr/2024:00:00:00 +0000',
    '00/Jan/2024:00:00:00 +0000',
    '32/Jan/2024:00:00:00 +0000',
    '10/Oct/2000:25:00:00 +0000',
    '10/Oct/2000:24:00:00 +0000',
    '10/Oct/2000:13:60:00 +0000',
    '10/Oct/2000:13:55:60 +0000',
    '10/Foo/2000:13:55:36 +0000',
    '10/oct/2000:13:55:36 +0000',
    '10/Oct/2000:13:55:36 +0060',
    '10/Oct/2000:13:55:36 +1900',
    '10/Oct/2000:13:55:36 -1800',
    '10/Oct/2000:13:55:36 -1201',
    '10/Oct/2000:13:55:36 +1401',
    '10/Oct/2000:13:55:36 *0000',
    '10/Oct/2000:13:55:36 0000',
    '10/Oct/2000:13:55:36 +000',
    '10/Oct/2000 13:55:36 +0000',
    '1/Oct/2000:13:55:36 +0000',
    '1x/Oct/2000:13:55:36 +0000',
    '10/Oct/2000:13:55:36 -0700]',
    '[10/Oct/2000:13:55:36 -0700',
    '',
    '-',
  ]) {
    assert.equal(parseApacheTime(bad), undefined, bad);
  }
});

test('UTC offsets: the real range -1200..+1400 only (Baker Island to Line Islands)', () => {
  const base = Date.UTC(2000, 9, 10, 13, 55, 36);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -1200'), base + 12 * 3_600_000);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 +1400'), base - 14 * 3_600_000);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 +1345'), base - (13 * 60 + 45) * 60_000);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -1800'), undefined);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -1201'), undefined);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 +1401'), undefined);
});

test('the per-second cache never returns a stale value for a different text', () => {
  const a = parseApacheTime('10/Oct/2000:13:55:36 -0700');
  const b = parseApacheTime('10/Oct/2000:13:55:37 -0700');
  assert.equal(b, (a ?? 0) + 1000);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -0700'), a);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -0600'), (a ?? 0) - 3_600_000);
  // A bad text right after a good one is still bad.
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -0700'), a);
  assert.equal(parseApacheTime('10/Oct/2000:13:55:36 -07x0'), undefined);
});

test('apacheTimeAt reads a range of a longer line and returns NaN when invalid', () => {
  const line = 'x [10/Oct/2000:13:55:36 -0700] y';
  assert.equal(apacheTimeAt(line, 2, 30), Date.UTC(2000, 9, 10, 20, 55, 36));
  assert.ok(Number.isNaN(apacheTimeAt(line, 2, 29)));
});
