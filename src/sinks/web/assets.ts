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

async function read(name: string): Promise<string> {
  try {
    return await readFile(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  } catch (err) {
    throw new SinkError(`the web page's ${name} is missing (build it with npm run build)`, (err as NodeJS.ErrnoException).code, { cause: err });
  }
}

/** `'sha256-...'` of a text, for a Content-Security-Policy source list. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
