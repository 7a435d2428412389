#!/usr/bin/env node
// The command line's code cache (a step of scripts/bundleCli.mjs, in a child process of its own):
// runs the bundle as bin/apachescan.js does (vm.Script, the same wrapper), replays a 40-line
// sample of samples/access.log with `--once --output json`, then `--once` (text), and writes
// V8's `createCachedData()`, which then holds every function those runs compiled, behind a
// header line naming the script's CRC-32 and length (see bin/apachescan.js for how it is checked).
//
//   node scripts/cliCodeCache.mjs dist/cli/apachescan.cjs dist/cli/apachescan.cjs.cache
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/** The cache's first line, before V8's data: what the shim expects for the script's bytes. */
export function cacheHeader(scriptBytes) {
  return `apachescan code cache crc32 ${crc32(scriptBytes).toString(16)} length ${scriptBytes.length}\n`;
}

async function main([scriptArg, cacheArg]) {
  const file = resolve(scriptArg);
  const bytes = readFileSync(file);
  // bin/apachescan.js's wrapper: a cache is made from one source text and fits that text only.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, {
    filename: file,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-code-cache-'));
  try {
    const sample = join(dir, 'sample.log');
    const lines = readFileSync(join(root, 'samples', 'access.log'), 'utf8')
      .split('\n')
      .slice(0, 40);
    writeFileSync(sample, `${lines.join('\n')}\n`);
    for (const args of [
      [sample, '--once', '--output', 'json'],
      [sample, '--once'],
    ]) {
      const code = await module.exports.main(args);
      if (code !== 0) throw new Error(`the replay of the code cache's sample exited ${code}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(resolve(cacheArg), Buffer.concat([Buffer.from(cacheHeader(bytes)), script.createCachedData()]));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
