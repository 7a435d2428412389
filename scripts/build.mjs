#!/usr/bin/env node
// Compiles into dist/ in place (npm run build): tsc overwrites what it emits, then the files
// it no longer emits (a source deleted or renamed since the last build) are removed. dist/ is
// never deleted, so the checkout's `npx apachescan` keeps working while `npm test` builds.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundleCli.mjs';

/** Written into dist/ by the render scripts, not by tsc. */
export const RENDERED = ['help.txt', 'apachescan.1'];

/**
 * Removes every file under `dir` that is not in `keep` (absolute paths), then the folders left
 * empty; `dir` itself stays. Returns the paths removed.
 */
export function removeStale(dir, keep) {
  const wanted = new Set([...keep].map((path) => resolve(path)));
  const removed = [];
  const walk = (folder) => {
    let left = 0;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && walk(path) === 0) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (entry.isDirectory() || wanted.has(path)) {
        left++;
        continue;
      }
      rmSync(path, { force: true });
      removed.push(path);
    }
    return left;
  };
  walk(resolve(dir));
  return removed;
}

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  let out;
  try {
    out = execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--listEmittedFiles'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (err) {
    // Type errors: tsc prints them on stdout; nothing is removed.
    process.stdout.write(String(err.stdout ?? '').replace(/^TSFILE: .*\n/gm, ''));
    process.exit(typeof err.status === 'number' ? err.status : 1);
  }
  const emitted = out
    .split('\n')
    .filter((line) => line.startsWith('TSFILE: '))
    .map((line) => line.slice('TSFILE: '.length).trim());
  if (emitted.length === 0) {
    process.stderr.write('build: tsc listed no emitted files; dist/ left as it is\n');
    process.exit(1);
  }
  const dist = join(root, 'dist');
  // The command line's bundle (scripts/bundleCli.mjs), from the sources tsc just checked.
  const bundled = await bundleCli(root);
  removeStale(dist, [...emitted, ...bundled, ...RENDERED.map((name) => join(dist, name))]);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
