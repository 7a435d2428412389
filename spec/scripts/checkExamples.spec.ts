import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';

// scripts/check-examples.mjs on a checkout of its own (inside dist/, so rxjs and @types/node
// resolve): its README holds a good example and a broken one; src/ a doc comment example.
test('check-examples names the file and line of a broken example, and passes good ones', { timeout: 120_000 }, () => {
  const root = join(ROOT, 'dist', 'check-examples-spec');
  rmSync(root, { recursive: true, force: true });
  try {
    mkdirSync(join(root, 'dist'), { recursive: true });
    mkdirSync(join(root, 'operators'));
    mkdirSync(join(root, 'src'));
    for (const folder of ['src', 'operators']) symlinkSync(join(ROOT, 'dist', folder), join(root, 'dist', folder));
    const good = "```ts\nimport { monitor, readLogFile } from 'apachescan';\nmonitor(readLogFile('a.log')).subscribe(handle);\n```\n";
    const broken = "```ts\nimport { monitor } from 'apachescan';\n\nmonitor(lines$, { interval: 'ten' });\n```\n";
    writeFileSync(join(root, 'README.md'), `# x\n\n${good}\ntext\n\n${broken}`);
    writeFileSync(
      join(root, 'src', 'a.ts'),
      '/**\n * @example\n * ```ts\n * const n: number = formatText;\n * ```\n */\nexport const a = 1;\n',
    );
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-examples.mjs'), root], { encoding: 'utf8', timeout: 110_000 });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const errors = run.stderr.split('\n').filter((line) => /: error TS/.test(line));
    assert.deepEqual(
      errors.map((line) => line.split(': error')[0]?.replace(/:\d+$/, '')),
      ['README.md:13', 'src/a.ts:4'],
      run.stderr,
    );
    assert.match(run.stderr, /3 TypeScript examples/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
