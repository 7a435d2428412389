import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesLog, isFollowCheckpoint, migrateCheckpoint } from '../../../src/engine/follow/checkpointData.js';
import { checkFollowCheckpoint } from '../../../src/engine/follow/loadFollowCheckpoint.js';
import { CheckpointError } from '../../../src/errors.js';

const at = (offset: number) => ({ dev: 1, ino: 2, offset, fingerprint: 'abc', fingerprintBytes: 3 });
const engine = {
  log: '/var/log/a.log',
  settings: { interval: 10_000, lateness: 10_000, alertWindow: 120_000, format: 'auto' },
  windowing: { maxTime: 5, watermark: -9995, nextStart: 0 },
  pending: { invalid: 1, late: 0 },
  alert: { firing: false, starts: [0], hits: [3], sum: 3 },
  totals: { lines: 4, parsed: 3, invalid: 1, late: 0 },
  reports: 7,
  sent: 7,
};

test("a version 1 checkpoint of one file is migrated: its positions become the file's entry", () => {
  const v1 = { version: 1, ...engine, replay: at(10), processed: at(20) };
  const migrated = migrateCheckpoint(v1, 'a.log');
  assert.ok(migrated !== undefined && isFollowCheckpoint(migrated));
  assert.equal(migrated.version, 3);
  assert.deepEqual(migrated.files, { 'a.log': { replay: at(10), processed: at(20) } });
  assert.equal('replay' in migrated, false);
  assert.deepEqual({ ...migrated, files: undefined, version: undefined }, { ...engine, files: undefined, version: undefined });
});

test('a version 1 checkpoint of several files keeps its files and drops the positions of the first', () => {
  const files = { 'a.log': { replay: at(1), processed: at(2) }, 'b.log': { replay: at(3), processed: at(4) } };
  const migrated = migrateCheckpoint(
    { version: 1, ...engine, log: 'files:/x/a.log\n/x/b.log', replay: at(2), processed: at(2), files },
    undefined,
  );
  assert.deepEqual(migrated?.files, files);
  assert.equal(migrated?.version, 3);
});

test('a version 2 checkpoint becomes version 3 without an outbox; a version 3 one keeps its outbox', () => {
  const files = { 'a.log': { replay: at(1), processed: at(2) } };
  const v2 = { version: 2, ...engine, files };
  const migrated = migrateCheckpoint(v2, 'a.log');
  assert.ok(migrated !== undefined && isFollowCheckpoint(migrated));
  assert.deepEqual(migrated, { ...v2, version: 3 });
  const v3 = { version: 3, ...engine, files, outbox: { influx: ['m f=1 1'] } };
  assert.deepEqual(migrateCheckpoint(v3, 'a.log'), v3);
  assert.deepEqual(checkFollowCheckpoint(v2, '/var/log/a.log').version, 3);
});

test('refused: an unknown version, a version 1 checkpoint of one file with no file to give it to, a broken one', () => {
  assert.equal(migrateCheckpoint({ version: 4, ...engine, files: {} }, 'a.log'), undefined);
  assert.equal(migrateCheckpoint({ version: 3, ...engine, files: {}, outbox: { influx: 'not a list' } }, 'a.log'), undefined);
  assert.equal(migrateCheckpoint({ version: 1, ...engine, replay: at(1), processed: at(2) }, undefined), undefined);
  assert.equal(migrateCheckpoint({ version: 2, ...engine, files: { 'a.log': { replay: at(1) } } }, 'a.log'), undefined);
  assert.equal(migrateCheckpoint('nope', 'a.log'), undefined);
  assert.throws(
    () => checkFollowCheckpoint({ version: 99 }, '/var/log/a.log'),
    (err: unknown) =>
      err instanceof CheckpointError &&
      /not an apachescan checkpoint of this version \(start afresh: pass no saved checkpoint\)$/.test(err.message),
  );
});

test('checkFollowCheckpoint migrates and checks: the same log resumes, another log or other settings are refused', () => {
  const v1 = { version: 1, ...engine, replay: at(10), processed: at(20) };
  assert.deepEqual(checkFollowCheckpoint(v1, '/var/log/a.log').files, { '/var/log/a.log': { replay: at(10), processed: at(20) } });
  assert.throws(() => checkFollowCheckpoint(v1, '/var/log/b.log'), /it belongs to \/var\/log\/a\.log/);
  assert.throws(
    () => checkFollowCheckpoint(v1, '/var/log/a.log', { interval: 5000 }),
    /another interval, lateness, alertWindow or format \(start afresh: pass no saved checkpoint\)$/,
  );
});

test('filesLog: one path named alone is its absolute path (as a single file was always keyed); globs and several are files:', () => {
  assert.equal(filesLog(['/var/log/a.log']), '/var/log/a.log');
  assert.equal(filesLog(['/var/log/*.log']), 'files:/var/log/*.log');
  assert.equal(filesLog(['/var/log/a.log', '/var/log/b.log']), 'files:/var/log/a.log\n/var/log/b.log');
});
