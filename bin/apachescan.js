#!/usr/bin/env node
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (!printVersion(args) && !printCachedHelp(args)) {
  const { main } = await import('../dist/src/cli/main.js');
  process.exitCode = await main(args);
}

/** `--help` at the default width comes from dist/help.txt (rendered by yargs at build time). */
function printCachedHelp(argv) {
  const wide = !process.stdout.isTTY || (process.stdout.columns ?? 0) >= 100;
  if (argv.length !== 1 || (argv[0] !== '--help' && argv[0] !== '-h') || !wide) return false;
  try {
    process.stdout.write(readFileSync(new URL('../dist/help.txt', import.meta.url), 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** `--version` / `-V` alone: the version from package.json, without loading yargs (what yargs prints). */
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
