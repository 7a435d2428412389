import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandGlob, hasGlob, matchSegment } from '../../src/source/glob.js';
import { rotatedHistory, rotationNumber } from '../../src/source/rotatedHistory.js';
import { timeArg } from '../../src/cli/timeArg.js';
import { tempDir } from '../helpers/tempDir.js';

test('matchSegment: *, ?, [...] within one segment; a leading dot only by a literal dot', () => {
  const yes: [string, string][] = [
    ['*access.log', 'access.log'],
    ['*access.log', 'other_vhosts_access.log'],
    ['*.log', 'a.log'],
    ['a?c', 'abc'],
    ['[abc]*', 'blog'],
    ['[a-c]x', 'bx'],
    ['[!a]x', 'bx'],
    ['[^a]x', 'bx'],
    ['*a*b*c*', 'xxaxxbxxcxx'],
    ['.*', '.hidden'],
    ['[]]', ']'],
    ['[', '['],
    ['**', 'x'],
  ];
  const no: [string, string][] = [
    ['*access.log', 'access.log.1'],
    ['*.log', '.hidden.log'],
    ['a?c', 'ac'],
    ['[abc]*', 'dog'],
    ['[!a]x', 'ax'],
    ['[a-c]x', 'dx'],
    ['*a*b*c', 'xxaxxbxxcxx'],
  ];
  for (const [p, n] of yes) assert.equal(matchSegment(p, n), true, `${p} matches ${n}`);
  for (const [p, n] of no) assert.equal(matchSegment(p, n), false, `${p} does not match ${n}`);
});

test('matchSegment stays linear on hostile patterns and names', () => {
  const name = `${'a'.repeat(20_000)}b`;
  assert.equal(matchSegment(`${'*a'.repeat(50)}c`, name), false);
  assert.equal(matchSegment(`${'*a'.repeat(50)}*b`, name), true);
});

test('expandGlob: files (not directories) matching, sorted; globs in directory segments; a plain path is itself', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'site1'));
  mkdirSync(join(dir, 'site2'));
  mkdirSync(join(dir, 'dir.access.log'));
  for (const f of ['b.access.log', 'a.access.log', 'access.log.1', '.x.access.log', 'site1/access.log', 'site2/access.log'])
    writeFileSync(join(dir, f), '');
  symlinkSync(join(dir, 'a.access.log'), join(dir, 'link.access.log'));
  assert.deepEqual(await expandGlob(join(dir, '*access.log')), [
    join(dir, 'a.access.log'),
    join(dir, 'b.access.log'),
    join(dir, 'link.access.log'),
  ]);
  assert.deepEqual(await expandGlob(join(dir, 'site?', 'access.log')), [
    join(dir, 'site1', 'access.log'),
    join(dir, 'site2', 'access.log'),
  ]);
  assert.deepEqual(await expandGlob(join(dir, 'nothing*')), []);
  assert.deepEqual(await expandGlob(join(dir, 'missing.log')), [join(dir, 'missing.log')]);
  assert.equal(hasGlob('/var/log/apache2/access.log'), false);
  assert.equal(hasGlob('/var/log/apache2/*.log'), true);
  assert.equal(hasGlob('/var/log/site[12].log'), true);
  assert.equal(hasGlob('/tmp/x\u202egol.exe\u001b[31m'), false, 'a [ without ] is a plain character');
});

test('rotatedHistory: <log>.N and <log>.N.gz, oldest (highest N) first; other names left out', async () => {
  const dir = tempDir();
  for (const f of [
    'access.log',
    'access.log.1',
    'access.log.2.gz',
    'access.log.10.gz',
    'access.log.3',
    'access.log.bak',
    'access.log-20260101',
    'access.log.1.tmp',
    'other.log.1',
  ])
    writeFileSync(join(dir, f), '');
  assert.deepEqual(
    await rotatedHistory(join(dir, 'access.log')),
    ['access.log.10.gz', 'access.log.3', 'access.log.2.gz', 'access.log.1'].map((f) => join(dir, f)),
  );
  assert.equal(rotationNumber('access.log', 'access.log.7.gz'), 7);
  assert.equal(rotationNumber('access.log', 'access.log.x'), undefined);
});

test('--since/--until values: ISO 8601 and Apache time; anything else is a usage error', () => {
  const parse = timeArg('since');
  assert.equal(parse('2026-10-10'), Date.UTC(2026, 9, 10));
  assert.equal(parse('2026-10-10T13:55'), Date.UTC(2026, 9, 10, 13, 55));
  assert.equal(parse('2026-10-10T13:55:36Z'), Date.UTC(2026, 9, 10, 13, 55, 36));
  assert.equal(parse('2026-10-10 13:55:36.5+02:00'), Date.UTC(2026, 9, 10, 11, 55, 36, 500));
  assert.equal(parse('2026-10-10T13:55:36-0130'), Date.UTC(2026, 9, 10, 15, 25, 36));
  assert.equal(parse('10/Oct/2026:13:55:36 +0000'), Date.UTC(2026, 9, 10, 13, 55, 36));
  assert.equal(parse('[10/Oct/2026:13:55:36 -0700]'), Date.UTC(2026, 9, 10, 20, 55, 36));
  for (const bad of [
    'yesterday',
    '2026-02-30',
    '2026-13-01',
    '2026-10-10T24:00',
    '2026-10-10T13:55:36+19:00',
    '10/Foo/2026:13:55:36 +0000',
    '',
    '1700000000',
  ]) {
    assert.throws(
      () => parse(bad),
      (err: Error) => err.name === 'UsageError' && /^--since must be a time like/.test(err.message),
      bad,
    );
  }
});
