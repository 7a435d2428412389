import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { combinedLine, ndjson, ROOT, writeLog } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

// scripts/bundleCli.mjs: the command line runs from one script in dist/cli, compiled with the
// V8 code cache beside it, not from the ~380 modules of dist/src and node_modules.

interface BundleScript {
  readonly CLI_BUNDLE_DIR: string;
  readonly CLI_ENTRIES: Record<string, string>;
  readonly CLI_SCRIPT: string;
}

const load = async (): Promise<BundleScript> => (await import(pathToFileURL(join(ROOT, 'scripts', 'bundleCli.mjs')).href)) as BundleScript;

/** bin/, dist/cli and package.json alone in a folder: no dist/src, no node_modules. */
async function bundleAlone(): Promise<string> {
  const { CLI_BUNDLE_DIR } = await load();
  const dir = tempDir();
  mkdirSync(join(dir, 'dist'));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, CLI_BUNDLE_DIR), join(dir, CLI_BUNDLE_DIR), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

const lines = Array.from({ length: 30 }, (_, i) => combinedLine(i, { path: `/s${i % 3}/x` }));

test('the build emits every entry point of the bundle (the command line and the worker threads it starts)', async () => {
  const { CLI_BUNDLE_DIR, CLI_ENTRIES, CLI_SCRIPT } = await load();
  for (const name of Object.keys(CLI_ENTRIES)) {
    const file = name === CLI_SCRIPT ? `${name}.cjs` : `${name}.js`;
    assert.ok(existsSync(join(ROOT, CLI_BUNDLE_DIR, file)), file);
  }
  const where = ['..', ...CLI_BUNDLE_DIR.split('/'), `${CLI_SCRIPT}.cjs`].map((part) => `'${part}'`).join(', ');
  assert.ok(readFileSync(join(ROOT, 'bin', 'apachescan.js'), 'utf8').includes(`join(__dirname, ${where})`), where);
  assert.ok(existsSync(join(ROOT, CLI_BUNDLE_DIR, `${CLI_SCRIPT}.cjs.cache`)), 'the code cache');
});

test('the CLI runs from the bundle alone: a replay of a file, without dist/src or node_modules', async () => {
  const dir = await bundleAlone();
  const log = writeLog(lines);
  const run = spawnSync(process.execPath, [join(dir, 'bin', 'apachescan.js'), log, '--once', '--json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const summary = ndjson(run.stdout).find((e) => e['type'] === 'summary');
  assert.equal(summary?.['parsed'], lines.length, run.stdout);
});

test('standard input from a pipe, read by the worker thread whose entry the bundle emits', async () => {
  const dir = await bundleAlone();
  const input = lines.map((l) => `${l}\n`).join('');
  const run = spawnSync(process.execPath, [join(dir, 'bin', 'apachescan.js'), '-', '--once', '--json'], {
    cwd: dir,
    encoding: 'utf8',
    input,
  });
  assert.equal(run.status, 0, run.stderr);
  const summary = ndjson(run.stdout).find((e) => e['type'] === 'summary');
  assert.equal(summary?.['parsed'], lines.length, run.stdout);
});

test('a replay loads the shim and the script alone: no module of dist/src or node_modules, nothing else of dist/cli', () => {
  const dir = tempDir();
  const list = join(dir, 'loaded.txt');
  // A module hook (node:module register) that writes down every ES module file loaded, and, at
  // exit, the CommonJS modules required (the script's own require).
  writeFileSync(
    join(dir, 'hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_LIST, url + '\\n');\n  return next(url, context);\n}\n",
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    "import { register, createRequire } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nimport { pathToFileURL } from 'node:url';\n" +
      "register('./hooks.mjs', import.meta.url);\nconst cache = createRequire(import.meta.url).cache;\n" +
      "process.on('exit', () => appendFileSync(process.env.LOADED_LIST, Object.keys(cache).map((p) => pathToFileURL(p).href + '\\n').join('')));\n",
  );
  const log = writeLog(lines);
  const run = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(ROOT, 'bin', 'apachescan.js'), log, '--once'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LOADED_LIST: list },
    },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Summary: 30 lines, 30 parsed/);
  const loaded = readFileSync(list, 'utf8')
    .split('\n')
    .filter((url) => url !== '' && !url.endsWith('/register.mjs'));
  // The bundle is read and compiled by the shim (vm.Script), not imported: the shim (CommonJS) is the one module of ours.
  // (Seen twice: with --import, Node 20 hands even a CommonJS entry to the ES module loader.)
  assert.deepEqual([...new Set(loaded)], [pathToFileURL(join(ROOT, 'bin', 'apachescan.js')).href]);
});

test('with --enable-source-maps the bundle is loaded by require, which applies its source map: frames in src/', () => {
  const dir = tempDir();
  const bundle = join(ROOT, 'dist', 'cli', 'apachescan.cjs');
  writeFileSync(
    join(dir, 'probe.mjs'),
    "import { findSourceMap } from 'node:module';\n" +
      "process.on('exit', () => process.stderr.write('map: ' + JSON.stringify(findSourceMap(process.env.BUNDLE)?.findEntry(2, 0)?.originalSource ?? null) + '\\n'));\n",
  );
  const log = writeLog(lines);
  const run = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--import', pathToFileURL(join(dir, 'probe.mjs')).href, join(ROOT, 'bin', 'apachescan.js'), log, '--once'],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, BUNDLE: bundle } },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Summary: 30 lines, 30 parsed/);
  assert.match(run.stderr, /^map: ".*\.ts"$/m);
});

test('a replay lists no folder: yargs does not search the working directory and its parents for a package.json', () => {
  const dir = tempDir();
  const list = join(dir, 'listed.txt');
  writeFileSync(
    join(dir, 'preload.cjs'),
    "const fs = require('node:fs');\nconst readdirSync = fs.readdirSync;\n" +
      "fs.readdirSync = (path, ...rest) => { fs.appendFileSync(process.env.LISTED, String(path) + '\\n'); return readdirSync(path, ...rest); };\n",
  );
  writeFileSync(list, '');
  const log = writeLog(lines);
  const run = spawnSync(process.execPath, ['--require', join(dir, 'preload.cjs'), join(ROOT, 'bin', 'apachescan.js'), log, '--once'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, LISTED: list },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Summary: 30 lines, 30 parsed/);
  assert.equal(readFileSync(list, 'utf8'), '');
});

/** A copy of the checkout's shim and script, and `text` in place of `was` in the script (same length). */
function variant(was: string, text: string): { dir: string; script: string } {
  assert.equal(text.length, was.length);
  const dir = tempDir();
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  const source = readFileSync(join(ROOT, 'dist', 'cli', 'apachescan.cjs'), 'utf8');
  assert.equal(source.split(was).length, 2, `one ${was} in the script`);
  const script = join(dir, 'dist', 'cli', 'apachescan.cjs');
  writeFileSync(script, source.replace(was, text));
  return { dir, script };
}

/** `variant(was, text)` with its own code cache beside it (`<script>.cache`, made by scripts/cliCodeCache.mjs). */
function cachedVariant(was: string, text: string): { dir: string; script: string } {
  const made = variant(was, text);
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'cliCodeCache.mjs'), made.script, `${made.script}.cache`], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return made;
}

/** The cache's header line (scripts/cliCodeCache.mjs) and V8's data after it. */
function splitCache(cache: Buffer): { header: string; data: Buffer } {
  const end = cache.indexOf(0x0a) + 1;
  assert.ok(end > 0 && end < 200, 'a header line');
  return { header: cache.subarray(0, end).toString('latin1'), data: cache.subarray(end) };
}

const replay = (dir: string, log: string) =>
  spawnSync(process.execPath, [join(dir, 'bin', 'apachescan.js'), log, '--once'], { cwd: dir, encoding: 'utf8' });

test("the build's code cache is V8's for this Node and this script: accepted, not rejected", () => {
  const script = join(ROOT, 'dist', 'cli', 'apachescan.cjs');
  const { header, data } = splitCache(readFileSync(`${script}.cache`));
  const bytes = readFileSync(script);
  assert.equal(header, `apachescan code cache crc32 ${crc32(bytes).toString(16)} length ${bytes.length}\n`);
  // In a plain node, as the shim runs (V8 compares its flags with those the cache was made with), in the shim's wrapper.
  const probe = `const { Script } = require('node:vm'); const fs = require('node:fs');
    const text = '(function (exports, require, module, __filename, __dirname) {' + fs.readFileSync(process.argv[1], 'utf8') + '\\n})';
    const s = new Script(text, { filename: process.argv[1], cachedData: fs.readFileSync(process.argv[2]) });
    process.stdout.write(String(s.cachedDataRejected));`;
  const dataFile = join(tempDir(), 'data');
  writeFileSync(dataFile, data);
  const run = spawnSync(process.execPath, ['-e', probe, script, dataFile], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'false');
});

test('the shim compiles the script with the cache beside it when the header names the script: a cache of another script of that length runs that one', () => {
  const log = writeLog(lines);
  const other = cachedVariant('Summary: ', 'SUMMARY: ');
  // The original script, beside the other's V8 data under a header that names the original: the shim hands it to V8,
  // which checks only the length, and the other's code runs. (What the header check is there to prevent.)
  const original = variant('Summary: ', 'Summary: ');
  const { data } = splitCache(readFileSync(`${other.script}.cache`));
  const { header } = splitCache(readFileSync(join(ROOT, 'dist', 'cli', 'apachescan.cjs.cache')));
  writeFileSync(`${original.script}.cache`, Buffer.concat([Buffer.from(header), data]));
  const run = replay(original.dir, log);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /SUMMARY: 30 lines/);
});

test('a cache made from another script (stale after a rebuild or an edit of the same length) is not used: the script on disk runs', () => {
  const log = writeLog(lines);
  const other = cachedVariant('Summary: ', 'SUMMARY: ');
  const original = variant('Summary: ', 'Summary: ');
  cpSync(`${other.script}.cache`, `${original.script}.cache`);
  const run = replay(original.dir, log);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.match(run.stdout, /Summary: 30 lines, 30 parsed/);
  assert.doesNotMatch(run.stdout, /SUMMARY/);
});

test('a cache V8 rejects (another Node version, other flags), a broken, empty or missing one: the same output, silently', () => {
  const log = writeLog(lines);
  const expected = replay(ROOT, log);
  assert.equal(expected.status, 0, expected.stderr);
  const good = readFileSync(join(ROOT, 'dist', 'cli', 'apachescan.cjs.cache'));
  const { header, data } = splitCache(good);
  // V8's header: magic number, then a hash of V8's version, then of the source, of the flags, ...
  const otherVersion = Buffer.from(data);
  for (let i = 4; i < 8; i++) otherVersion[i] = (otherVersion[i] ?? 0) ^ 0xff;
  const caches: [string, Buffer | undefined][] = [
    ['another V8 version', Buffer.concat([Buffer.from(header), otherVersion])],
    ['truncated', good.subarray(0, header.length + 64)],
    ['header only', Buffer.from(header)],
    ['empty', Buffer.alloc(0)],
    ['not a cache', Buffer.from('hello\n')],
    ['missing', undefined],
  ];
  for (const [what, cache] of caches) {
    const { dir, script } = variant('Summary: ', 'Summary: ');
    if (cache !== undefined) writeFileSync(`${script}.cache`, cache);
    const run = replay(dir, log);
    assert.equal(run.status, 0, `${what}: ${run.stderr}`);
    assert.equal(run.stderr, '', what);
    assert.equal(run.stdout, expected.stdout, what);
  }
});
