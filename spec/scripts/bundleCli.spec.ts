import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { combinedLine, ndjson, ROOT, writeLog } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

// scripts/bundleCli.mjs: the command line runs from one bundle in dist/cli (plus the chunks
// only some runs load), not from the ~380 modules of dist/src and node_modules.

interface BundleScript {
  readonly CLI_BUNDLE_DIR: string;
  readonly CLI_ENTRIES: Record<string, string>;
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
  const { CLI_BUNDLE_DIR, CLI_ENTRIES } = await load();
  for (const name of Object.keys(CLI_ENTRIES)) assert.ok(existsSync(join(ROOT, CLI_BUNDLE_DIR, `${name}.js`)), `${name}.js`);
  assert.match(readFileSync(join(ROOT, 'bin', 'apachescan.js'), 'utf8'), new RegExp(`'\\.\\./${CLI_BUNDLE_DIR}/apachescan\\.js'`));
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

test('a replay loads no module of dist/src or node_modules, and no chunk of an output it does not use', () => {
  const dir = tempDir();
  const list = join(dir, 'loaded.txt');
  // A module hook (node:module register) that writes down every file module loaded.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    "import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_LIST, url + '\\n');\n  return next(url, context);\n}\n",
  );
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
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
  const loaded = readFileSync(list, 'utf8')
    .split('\n')
    .filter((url) => url !== '' && !url.endsWith('/register.mjs'));
  assert.ok(
    loaded.some((url) => url.endsWith('/dist/cli/apachescan.js')),
    loaded.join('\n'),
  );
  assert.deepEqual(
    loaded.filter((url) => url.includes('/dist/src/') || url.includes('/node_modules/')),
    [],
  );
  const chunks = loaded.map((url) => url.split('/').pop() ?? '');
  for (const unused of ['prometheus-', 'influx-', 'alertmanager-', 'command-', 'tty-', 'pipeReader']) {
    assert.deepEqual(
      chunks.filter((name) => name.startsWith(unused)),
      [],
      unused,
    );
  }
  // 16 for 0.2.0: the shim, the bundle and the chunks esbuild splits out of what a replay shares with the lazy outputs.
  assert.ok(loaded.length <= 20, `${loaded.length} modules: ${chunks.join(' ')}`);
});
