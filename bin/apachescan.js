#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry without its ES module loader, a few
// ms sooner; the library and everything else of the package are ES modules.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
if (!printCachedHelp(args) && !printVersion(args)) {
  // src/cli/main.ts and what it imports, bundled at build time (scripts/bundleCli.mjs).
  const { main } = runBundle(join(__dirname, '..', 'dist', 'cli', 'apachescan.cjs'));
  main(args).then((code) => {
    process.exitCode = code;
  });
}

/**
 * Runs the command line's bundle (a CommonJS file) and returns its exports: compiled by
 * `vm.Script` in Node's CommonJS wrapper, with the V8 code cache beside it when that was made
 * from these very bytes (its header line names their CRC-32 and length: V8 itself checks only
 * the length). V8 rejects a cache of another Node version or other flags, silently: the file is
 * then compiled from source, the same run, only slower to start. With --enable-source-maps,
 * loaded by `require`, which applies its source map (vm.Script does not).
 * scripts/cliCodeCache.mjs makes the cache with the same wrapper.
 */
function runBundle(file) {
  const { createRequire } = require('node:module');
  const requireThere = createRequire(file);
  if (process.sourceMapsEnabled) return requireThere(file);
  const { crc32 } = require('node:zlib');
  const { Script } = require('node:vm');
  const bytes = readFileSync(file);
  let cachedData;
  try {
    const cache = readFileSync(`${file}.cache`);
    const header = `apachescan code cache crc32 ${crc32(bytes).toString(16)} length ${bytes.length}\n`;
    if (cache.subarray(0, header.length).toString('latin1') === header) cachedData = cache.subarray(header.length);
  } catch {
    // no cache (or unreadable): compiled from source
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${bytes.toString('utf8')}\n})`, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, requireThere, bundle, file, join(file, '..'));
  return bundle.exports;
}

/**
 * `--help` at 80 columns (not a terminal, or an 80-column one) comes from dist/help.txt, rendered
 * by yargs at build time; other widths are rendered by yargs at the terminal's width.
 */
function printCachedHelp(argv) {
  const eighty = !process.stdout.isTTY || !(process.stdout.columns > 0) || process.stdout.columns === 80;
  if (argv.length !== 1 || (argv[0] !== '--help' && argv[0] !== '-h') || !eighty) return false;
  try {
    process.stdout.write(readFileSync(join(__dirname, '..', 'dist', 'help.txt'), 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** `--version` alone: read from package.json without loading yargs (what yargs would print). */
function printVersion(argv) {
  if (argv.length !== 1 || (argv[0] !== '--version' && argv[0] !== '-V')) return false;
  try {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    if (typeof version !== 'string') return false;
    process.stdout.write(`${version}\n`);
    return true;
  } catch {
    return false;
  }
}
