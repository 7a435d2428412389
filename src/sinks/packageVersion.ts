import { existsSync, readFileSync } from 'node:fs';

let version: string | undefined;

/**
 * This package's version: the nearest package.json named apachescan above this module
 * (dist/src/sinks in tsc's output, dist/cli in the command line's bundle), read once; `unknown`
 * when there is none. Never the package.json of the working directory's project.
 */
export function packageVersion(): string {
  version ??= readVersion();
  return version;
}

function readVersion(): string {
  for (let up = '../'; up.length <= 18; up += '../') {
    const path = new URL(`${up}package.json`, import.meta.url);
    // (No exception built, with its stack, for each folder without one: start-up.)
    if (!existsSync(path)) continue;
    try {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'apachescan') return typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      // not here: one folder up
    }
  }
  return 'unknown';
}
