// The command line as a bundle (one step of npm run build, after tsc): esbuild bundles
// src/cli/main.ts with rxjs, yargs and our code into dist/cli/apachescan.js, which
// bin/apachescan.js runs: a run loads a handful of files instead of ~380 (module loading was
// most of a short run's start-up). What only some runs need (the Prometheus, InfluxDB,
// Alertmanager and command sinks, the tty view, the engine itself for `--help`) stays behind
// `import()` and lands in chunks of its own beside it; prom-client (CommonJS) is not bundled
// and is loaded only with `--prometheus`. Worker threads' entry files are entry points too,
// emitted in the same folder: the code that starts them finds them with
// `new URL('./<name>.js', import.meta.url)` from the tsc output and the bundle alike.
// Minified (a smaller file parses faster; the package stays near 600 KB). Source maps
// (without the sources: they point at src/) are written beside the files and left out of the
// package: in a checkout, `node --enable-source-maps bin/apachescan.js ...` gives stack traces
// in the TypeScript sources, and scripts/map-stack.mjs maps the stack of a bug report (the
// bundle of one commit is the same from any checkout of it).
//
// The library's entry points (package.json exports) stay tsc's output in dist/src and
// dist/operators; nothing here touches them.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Where the bundle goes, relative to the repository root. */
export const CLI_BUNDLE_DIR = 'dist/cli';

/** Entry points: the command line and the worker threads it starts (file name without .js -> source). */
export const CLI_ENTRIES = {
  apachescan: 'src/cli/main.ts',
  pipeReader: 'src/source/pipeReader.ts',
  parseWorker: 'src/engine/parallel/parseWorker.ts',
};

/**
 * yargs measures text with string-width, whose module body builds `Intl.Segmenter`s and
 * Unicode-property regexps (a good part of start-up), though a run that prints no help never
 * measures anything. In the bundle it is loaded on the first call: each `string-width` import
 * resolves to a stub that `require`s the real module (esbuild keeps a required module's body
 * in a function run on the first `require`).
 */
function lazyStringWidth() {
  return {
    name: 'lazy-string-width',
    setup(b) {
      b.onResolve({ filter: /^string-width$/ }, (args) => {
        const real = createRequire(join(args.resolveDir, 'x.js')).resolve('string-width');
        return { path: real, namespace: 'lazy-string-width' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
        contents:
          `let real;\n` +
          `export default function stringWidth(text, options) {\n` +
          `  real ??= require(${JSON.stringify(args.path)}).default;\n` +
          `  return real(text, options);\n` +
          `}\n`,
        resolveDir: '/',
        loader: 'js',
      }));
    },
  };
}

/**
 * rxjs's `node` export is its CommonJS build, which esbuild bundles whole (220 modules); its
 * ES2015 modules (what its `es2015` condition names, after `node`) let it keep only what runs.
 */
function rxjsModules() {
  return {
    name: 'rxjs-modules',
    setup(b) {
      b.onResolve({ filter: /^rxjs$/ }, (args) => {
        const manifest = createRequire(join(args.resolveDir, 'x.js')).resolve('rxjs/package.json');
        return { path: join(manifest, '..', 'dist', 'esm', 'index.js') };
      });
    },
  };
}

/**
 * Builds the bundle into `<root>/dist/cli`; returns the absolute paths of the files written
 * (for the build's clean-up of stale files).
 */
export async function bundleCli(root) {
  const outdir = join(root, CLI_BUNDLE_DIR);
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(CLI_ENTRIES).map(([name, source]) => [name, join(root, source)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    external: ['prom-client'],
    minifySyntax: true,
    minifyWhitespace: true,
    minifyIdentifiers: true,
    legalComments: 'none',
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [lazyStringWidth(), rxjsModules()],
  });
  return Object.keys(result.metafile.outputs).map((path) => join(root, path));
}
