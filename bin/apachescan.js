#!/usr/bin/env node
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (!printCachedHelp(args) && !printVersion(args)) {
  // src/cli/main.ts and what it imports, bundled at build time (scripts/bundleCli.mjs).
  const { main } = await import('../dist/cli/apachescan.js');
  process.exitCode = await main(args);
}

/**
 * `--help` at 80 columns (not a terminal, or an 80-column one) comes from dist/help.txt, rendered
 * by yargs at build time; other widths are rendered by yargs at the terminal's width.
 */
function printCachedHelp(argv) {
  const eighty = !process.stdout.isTTY || !(process.stdout.columns > 0) || process.stdout.columns === 80;
  if (argv.length !== 1 || (argv[0] !== '--help' && argv[0] !== '-h') || !eighty) return false;
  try {
    process.stdout.write(readFileSync(new URL('../dist/help.txt', import.meta.url), 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** `--version` alone: read from package.json without loading yargs (what yargs would print). */
function printVersion(argv) {
  if (argv.length !== 1 || (argv[0] !== '--version' && argv[0] !== '-V')) return false;
  try {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (typeof version !== 'string') return false;
    process.stdout.write(`${version}\n`);
    return true;
  } catch {
    return false;
  }
}
