import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { SinkError } from '../../errors.js';

/** The page's script and style sheet, built by scripts/build-page.mjs into dist/src/sinks/web/assets/. */
export interface PageAssets {
  readonly script: string;
  readonly style: string;
}

let loaded: Promise<PageAssets> | undefined;

/** Reads the two assets once (a fixed pair of files: nothing from a request names a file). */
export function loadAssets(): Promise<PageAssets> {
  loaded ??= Promise.all([read('app.js'), read('app.css')]).then(([script, style]) => ({ script, style }));
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

/**
 * Where the assets are, relative to this module: beside it in tsc's output
 * (dist/src/sinks/web/), or from the command line's bundle (dist/cli/, scripts/bundleCli.mjs),
 * which ships them once, in dist/src.
 */
const PLACES = ['./assets/', '../src/sinks/web/assets/'];

async function read(name: string): Promise<string> {
  let first: unknown;
  for (const place of PLACES) {
    try {
      return await readFile(new URL(`${place}${name}`, import.meta.url), 'utf8');
    } catch (err) {
      first ??= err;
    }
  }
  throw new SinkError(`the web page's ${name} is missing (build it with npm run build)`, (first as NodeJS.ErrnoException).code, {
    cause: first,
  });
}

/** `'sha256-...'` of a text, for a Content-Security-Policy source list. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
