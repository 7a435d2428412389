import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

// scripts/pack-manifest.mjs: the packed package.json has no `prepare` (npm 11 warns about any
// install-time script of a dependency on every consumer install); the checkout's is restored.

const script = join(ROOT, 'scripts', 'pack-manifest.mjs');
const run = (dir: string, what: string) => spawnSync(process.execPath, [script, what], { cwd: dir, encoding: 'utf8' });

test('npm pack strips prepare before packing and restores it after (prepack / postpack)', () => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(scripts['prepack'], 'node scripts/pack-manifest.mjs strip');
  assert.equal(scripts['postpack'], 'node scripts/pack-manifest.mjs restore');
  assert.ok(scripts['prepare'] !== undefined, 'the checkout keeps prepare: npm ci builds');
});

test('strip, then restore, on a copy of package.json: no prepare in between, the very same file after', () => {
  const dir = tempDir();
  const manifest = join(dir, 'package.json');
  copyFileSync(join(ROOT, 'package.json'), manifest);
  const original = readFileSync(manifest, 'utf8');
  assert.equal(run(dir, 'strip').status, 0);
  const packed = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts: Record<string, string>; version: string; exports: unknown };
  assert.equal(packed.scripts['prepare'], undefined);
  assert.deepEqual(
    { version: packed.version, exports: packed.exports },
    (({ version, exports }) => ({ version, exports }))(JSON.parse(original) as { version: string; exports: unknown }),
  );
  assert.equal(run(dir, 'restore').status, 0);
  assert.equal(readFileSync(manifest, 'utf8'), original);
  assert.equal(existsSync(join(dir, '.package.json.packing')), false);
  // A manifest without prepare is left as it is; a bad verb is a usage error.
  writeFileSync(manifest, '{"name":"x","scripts":{}}\n');
  assert.equal(run(dir, 'strip').status, 0);
  assert.equal(readFileSync(manifest, 'utf8'), '{"name":"x","scripts":{}}\n');
  assert.equal(run(dir, 'nope').status, 2);
});
