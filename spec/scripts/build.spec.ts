import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

// scripts/build.mjs: dist/ is built in place, never deleted (the checkout's CLI keeps working
// while `npm test` builds); what tsc no longer emits is removed afterwards.

interface BuildScript {
  removeStale(dir: string, keep: readonly string[]): string[];
  readonly RENDERED: readonly string[];
}

const load = async (): Promise<BuildScript> => (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as BuildScript;

test('npm run build does not delete dist/: it compiles in place and then prunes', () => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const build = scripts['build'] ?? '';
  assert.match(build, /^node scripts\/build\.mjs && /);
  assert.doesNotMatch(build, /rmSync|rm -rf|rimraf/);
});

test('removeStale: files tsc no longer emits go, emitted and rendered ones stay, empty folders go', async () => {
  const { removeStale, RENDERED } = await load();
  const dist = tempDir();
  const file = (path: string): string => {
    const full = join(dist, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, 'x');
    return full;
  };
  const kept = [file('src/a.js'), file('src/a.d.ts'), file('spec/b.spec.js')];
  const stale = [file('src/old.js'), file('src/old.js.map'), file('src/gone/c.js')];
  const rendered = RENDERED.map(file);
  assert.deepEqual(removeStale(dist, [...kept, ...rendered]).sort(), [...stale].sort());
  for (const path of [...kept, ...rendered]) assert.ok(existsSync(path), path);
  for (const path of stale) assert.equal(existsSync(path), false, path);
  assert.equal(existsSync(join(dist, 'src', 'gone')), false, 'the emptied folder');
  assert.ok(existsSync(dist));
});
