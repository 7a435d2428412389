#!/usr/bin/env node
// The web page's assets (`--serve`, `--report`), a step of `npm run build` after tsc: the page
// (src/sinks/web/page/, TypeScript for the browser with uPlot from node_modules) type-checked
// with its own tsconfig, then bundled and minified by esbuild into
// dist/src/sinks/web/assets/app.js and app.css, which the package ships. No CDN: the page
// loads nothing but these two files (inline in a report).
// Usage: node scripts/build-page.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = join(root, 'src/sinks/web/page');
const out = join(root, 'dist/src/sinks/web/assets');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(page, 'tsconfig.json')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
} catch (err) {
  process.stdout.write(String(err.stdout ?? ''));
  process.exit(typeof err.status === 'number' ? err.status : 1);
}
mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, logLevel: 'warning', legalComments: 'none' };
await build({
  ...common,
  entryPoints: [join(page, 'main.ts')],
  outfile: join(out, 'app.js'),
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
});
await build({ ...common, entryPoints: [join(page, 'style.css')], outfile: join(out, 'app.css') });
const size = (name) => statSync(join(out, name)).size;
if (process.env.BUILD_PAGE_VERBOSE) console.log(`page: app.js ${size('app.js')} B, app.css ${size('app.css')} B`);
