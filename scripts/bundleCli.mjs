// The command line as a bundle (one step of npm run build, after tsc): esbuild bundles
// src/cli/main.ts with rxjs, yargs and our code into one CommonJS file, dist/cli/apachescan.cjs,
// which bin/apachescan.js runs with a V8 code cache made at build time: a run loads one file of
// ours instead of ~380 modules and compiles almost nothing (module loading, then compiling,
// was most of a short run's start-up).
//
// CommonJS, not an ES module: the shim compiles it with `vm.Script` in Node's CommonJS wrapper,
// and a Script's `createCachedData()` after a run holds the functions that ran, compiled (an ES
// module's cache, only its top level). No code splitting: what only some runs need (the
// Prometheus, InfluxDB, Alertmanager and command sinks, the tty view, the web page, the engine
// itself for `--help`) stays behind `import()`, which esbuild turns into a function run on first
// use, so its code is in the file but neither compiled nor run by a run that does not use it
// (measured: 16 ES module files cost more than one script with all of it). `import.meta.url` is
// the file's URL, made from `__filename` by the banner. prom-client (CommonJS) is not bundled
// and is loaded only with `--prometheus`. Worker threads' entry files are ES modules built
// beside it, one file each: the code that starts them finds them with
// `new URL('./<name>.js', import.meta.url)` from the tsc output and the bundle alike.
//
// The code cache, dist/cli/apachescan.cjs.cache, is V8's `createCachedData()` after replays of a
// sample (scripts/cliCodeCache.mjs, a child process: V8 writes what its flags and version
// allow), behind a header line naming the CRC-32 and length of the file it was made from. The
// shim uses it only when that matches the file on disk (V8 itself checks only the source's
// length: a stale cache of a same-length file would run the old code), and V8 rejects it,
// silently, on another Node version or other V8 flags: the file is then compiled as any other.
//
// Minified (a smaller file parses faster). Source maps (without the sources: they point at
// src/) are written beside the files and left out of the package: in a checkout,
// `node --enable-source-maps bin/apachescan.js ...` (the shim then loads the file with
// `require`, which applies its map) gives stack traces in the TypeScript sources, and
// scripts/map-stack.mjs maps the stack of a bug report (the bundle of one commit is the same
// from any checkout of it).
//
// The library's entry points (package.json exports) stay tsc's output in dist/src and
// dist/operators; nothing here touches them.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the bundle goes, relative to the repository root. */
export const CLI_BUNDLE_DIR = 'dist/cli';

/** Entry points: the command line and the worker threads it starts (file name without .js -> source). */
export const CLI_ENTRIES = {
  apachescan: 'src/cli/main.ts',
  pipeReader: 'src/source/pipeReader.ts',
  parseWorker: 'src/engine/parallel/parseWorker.ts',
};

/** The entry built as CommonJS for the shim, `<name>.cjs` (the others are ES modules: worker threads' entries). */
export const CLI_SCRIPT = 'apachescan';

/** The code cache beside it: `<name>.cjs` + this. */
export const CODE_CACHE_SUFFIX = '.cache';

/**
 * The file's first line: strict, as the ES modules it is made of, and its own URL for
 * `import.meta.url` (alone on its line: the shim's wrapper shifts the columns of line 1 only).
 */
const SCRIPT_BANNER = "'use strict';var __bundle_url=require('node:url').pathToFileURL(__filename).href;";

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
 * yargs makes every instance guess its version (`.version()` in its factory) from the nearest
 * package.json above the working directory, found by `escalade/sync`: a readdir of each folder
 * up to the root (/tmp and / for a run in /tmp/x, an AssertionError built when none has one),
 * though createCli gives it the version. In the bundle that search finds apachescan's own
 * package.json at once (dist/cli/../../package.json), which is what yargs then reads.
 */
function yargsFindsOurPackage() {
  return {
    name: 'yargs-finds-our-package',
    setup(b) {
      b.onResolve({ filter: /^escalade\/sync$/ }, () => ({ path: 'escalade/sync', namespace: 'yargs-finds-our-package' }));
      b.onLoad({ filter: /.*/, namespace: 'yargs-finds-our-package' }, () => ({
        contents:
          `import { fileURLToPath } from 'node:url';\n` +
          `export default function findUp() {\n` +
          `  return fileURLToPath(new URL('../../package.json', import.meta.url));\n` +
          `}\n`,
        resolveDir: '/',
        loader: 'js',
      }));
    },
  };
}

/**
 * `import('prom-client')` (webSinks.ts) would stay a dynamic import of an external module in
 * the CommonJS output, which code compiled by `vm.Script` can run only with an experimental
 * loader option of Node (and a warning). Each such import resolves instead to a module of
 * ours that re-exports it statically: the import becomes a function run on first use, and
 * prom-client a `require`, as the other modules that use it.
 */
function dynamicImportsRequired(external) {
  return {
    name: 'dynamic-imports-required',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) =>
        args.kind === 'dynamic-import' && external.includes(args.path)
          ? { path: args.path, namespace: 'dynamic-imports-required' }
          : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'dynamic-imports-required' }, (args) => ({
        contents: `export * from ${JSON.stringify(args.path)};\n`,
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
 * Builds the bundle into `<root>/dist/cli`, then its code cache; returns the absolute paths of
 * the files written (for the build's clean-up of stale files).
 */
export async function bundleCli(root) {
  const outdir = join(root, CLI_BUNDLE_DIR);
  const common = {
    absWorkingDir: root,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: ['prom-client'],
    minifySyntax: true,
    minifyWhitespace: true,
    minifyIdentifiers: true,
    legalComments: 'none',
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [lazyStringWidth(), rxjsModules(), yargsFindsOurPackage()],
  };
  const entry = (names) => Object.fromEntries(names.map((name) => [name, join(root, CLI_ENTRIES[name])]));
  const script = await build({
    ...common,
    plugins: [...common.plugins, dynamicImportsRequired(common.external)],
    entryPoints: entry([CLI_SCRIPT]),
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: SCRIPT_BANNER },
  });
  const workers = await build({
    ...common,
    entryPoints: entry(Object.keys(CLI_ENTRIES).filter((name) => name !== CLI_SCRIPT)),
    format: 'esm',
  });
  const scriptFile = join(outdir, `${CLI_SCRIPT}.cjs`);
  if (/\bimport\(/.test(readFileSync(scriptFile, 'utf8')))
    throw new Error(`${scriptFile} has an import() left (see dynamicImportsRequired)`);
  const cache = `${scriptFile}${CODE_CACHE_SUFFIX}`;
  // For a plain `node` (V8 rejects a cache made under other flags): the build's NODE_OPTIONS left out.
  execFileSync(process.execPath, [fileURLToPath(new URL('./cliCodeCache.mjs', import.meta.url)), scriptFile, cache], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const written = [...Object.keys(script.metafile.outputs), ...Object.keys(workers.metafile.outputs)];
  return [...written.map((path) => join(root, path)), cache];
}
