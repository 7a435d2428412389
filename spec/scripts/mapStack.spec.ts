import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';

// scripts/map-stack.mjs: a stack trace from the minified bundle, in the TypeScript sources.

/** 1-based line and column of the first `text` in `source`. */
function placeOf(source: string, text: string): { line: number; column: number } {
  const at = source.indexOf(text);
  assert.ok(at >= 0, text);
  const before = source.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1) ?? '').length + 1 };
}

test('a frame of dist/cli/apachescan.cjs comes out as its line in src/cli/main.ts; other lines are left alone', () => {
  const message = 'cannot write the output';
  const bundled = placeOf(readFileSync(join(ROOT, 'dist', 'cli', 'apachescan.cjs'), 'utf8'), message);
  const source = placeOf(readFileSync(join(ROOT, 'src', 'cli', 'main.ts'), 'utf8'), message);
  const url = pathToFileURL(join(ROOT, 'dist', 'cli', 'apachescan.cjs')).href;
  const stack = `apachescan: internal error: Error: x\n    at Ye (${url}:${bundled.line}:${bundled.column})\n    at node:internal/x:1:2\n`;
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'map-stack.mjs')], { input: stack, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.split('\n');
  assert.match(lines[1] ?? '', new RegExp(`at Ye \\(src/cli/main\\.ts:${source.line}:\\d+\\)`));
  assert.equal(lines[0], 'apachescan: internal error: Error: x');
  assert.equal(lines[2], '    at node:internal/x:1:2');
});
