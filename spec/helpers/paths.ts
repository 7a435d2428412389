/**
 * Where the specs are, whichever way they run: compiled (`dist/spec/...`, after `npm run
 * build`) or from source (`npm run spec -- spec/x.spec.ts`, through tsx).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'apachescan') return dir;
    if (dirname(dir) === dir) throw new Error(`no apachescan package.json above ${from}`);
  }
}

/** The repository root (the folder of apachescan's package.json). */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * The node flags a child that runs a helper file needs: none when the specs run compiled,
 * the loader (`--import tsx`) when they run from source.
 */
export const NODE_LOADER_ARGS: readonly string[] = process.execArgv.flatMap((arg, i, all) => {
  if (arg === '--import' || arg === '--loader' || arg === '--experimental-loader') return [arg, all[i + 1] as string];
  return /^--(import|loader|experimental-loader)=/.test(arg) ? [arg] : [];
});
