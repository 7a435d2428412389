/**
 * The package as a new user gets it: `npm pack`, then a fresh consumer project installs the
 * tarball with its own rxjs (the lowest and the newest 7.x we support), compiles a strict
 * TypeScript program (spec/fixtures/consumer/main.ts) with moduleResolution node16, bundler
 * and node10, and runs it: a Subject-fed pipeline, every error class caught by instanceof,
 * a resume from a checkpoint; and loads it from CommonJS. Installs use the npm cache first (--prefer-offline), so the test
 * runs offline once the cache holds the rxjs versions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

const FIXTURE = join(ROOT, 'spec', 'fixtures', 'consumer');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** The lowest rxjs of our peer range (`^7.2.0` -> `7.2.0`). */
const LOWEST = /^\^(\d+\.\d+\.\d+)$/.exec(PACKAGE.peerDependencies['rxjs'] ?? '')?.[1] ?? 'unparsable peer range';
/** The first rxjs with "types" in its exports map, the lowest that node16/bundler resolution can type. */
const LOWEST_TYPED_EXPORTS = '7.6.0';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let tarball: string;

function npm(args: readonly string[], cwd: string): string {
  return execFileSync(NPM, [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
}

/** Every installed copy of rxjs under `dir`/node_modules (nested ones included). */
function rxjsCopies(dir: string): string[] {
  const found: string[] = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const name of readdirSync(modules)) {
      const pkg = join(modules, name);
      if (name.startsWith('@')) {
        walk(pkg);
        continue;
      }
      if (name === 'rxjs') found.push(pkg);
      walk(join(pkg, 'node_modules'));
    }
  };
  walk(join(dir, 'node_modules'));
  return found;
}

interface ConsumerResult {
  readonly pipeline: { readonly observable: boolean; readonly stats: number[]; readonly alerts: number };
  readonly errors: string[];
  readonly resume: { readonly first: number[]; readonly second: number[]; readonly lines: number };
  readonly stage: { readonly dropped: number; readonly records: number; readonly lines: number; readonly undelivered: number };
}

function installConsumer(name: string, rxjs: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const pkg = {
    name: `consumer-${name}`,
    private: true,
    type: 'module',
    dependencies: { apachescan: `file:${tarball}`, rxjs, '@types/node': PACKAGE.devDependencies['@types/node'] },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  npm(['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  return dir;
}

function compile(dir: string, config: string): void {
  const run = spawnSync(process.execPath, [TSC, '-p', `tsconfig.${config}.json`], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, `tsc (${config}) failed:\n${run.stdout}${run.stderr}`);
}

function runConsumer(dir: string): ConsumerResult {
  // Bounded: a consumer that does not exit (a follower left running) fails here, with what it said.
  const run = spawnSync(process.execPath, ['out/main.js'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `exit ${run.status ?? run.signal}; stdout: ${run.stdout}; stderr: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as ConsumerResult;
}

function assertBehaviour(result: ConsumerResult): void {
  // 30 lines, one a second: three full intervals, and the 20 s average rate of 1/s fires the alert.
  assert.deepEqual(result.pipeline, { observable: true, stats: [10, 10, 10], alerts: 1 });
  assert.deepEqual(result.errors, ['MonitorOptionsError', 'LogFormatError', 'FileError', 'CheckpointError', 'SinkError']);
  // 25 lines, stop, 25 more, resume: every interval once, in order, none lost between the runs.
  assert.deepEqual(result.resume, { first: [0, 10_000], second: [20_000, 30_000], lines: 40 });
  // 30 lines, 10 of them /static: dropped by the stage of the user's own; toRecords gives every row.
  assert.deepEqual(result.stage, { dropped: 10, records: 30, lines: 20, undelivered: 0 });
}

describe('the packed package in a fresh consumer project', { timeout: 600_000 }, () => {
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'apachescan-consumer-'));
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT)) as { filename: string }[];
    tarball = join(work, packed[0]?.filename ?? 'missing.tgz');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('ships what a user needs and not the sample log: LICENSE, help, resolvable source maps, types, sideEffects', () => {
    const list = JSON.parse(npm(['pack', '--dry-run', '--ignore-scripts', '--json'], ROOT)) as {
      files: { path: string }[];
      size: number;
    }[];
    const files = new Set((list[0]?.files ?? []).map((f) => f.path));
    for (const wanted of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/apachescan.js',
      'dist/cli/apachescan.cjs',
      'dist/cli/apachescan.cjs.cache',
      'dist/help.txt',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/operators/index.d.ts',
      'samples/embedding/resume.mjs',
      'dist/src/sinks/web/index.js',
      'dist/src/sinks/web/assets/app.js',
      'dist/src/sinks/web/assets/app.css',
      'rules.schema.json',
    ]) {
      assert.ok(files.has(wanted), `${wanted} is not in the tarball`);
    }
    assert.ok(!files.has('samples/access.log'), 'the 1.1 MB sample log is for the repository, not the package');
    assert.ok(
      ![...files].some((f) => f.startsWith('dist/spec') || f.startsWith('dist/bench') || f.startsWith('src/')),
      'no tests, benches or raw sources',
    );
    const maps = [...files].filter((f) => f.endsWith('.js.map'));
    assert.ok(maps.length > 50);
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(join(ROOT, map), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      assert.equal(parsed.sourcesContent?.length, parsed.sources.length, `${map} does not carry its sources`);
      assert.ok(
        parsed.sourcesContent.every((s) => typeof s === 'string' && s.length > 0),
        map,
      );
    }
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest['sideEffects'], false);
    assert.equal(manifest['types'], './dist/src/index.d.ts');
    assert.equal((manifest['dependencies'] as Record<string, string>)['rxjs'], undefined, 'rxjs is a peer dependency, never a nested copy');
    // 0.54 MB for 0.1.0; 0.80 MB for 0.2.0 with the web page (its bundle with uPlot), the CLI's bundle, the parsing
    // workers and alert rules, 1.2 MB of its 2.7 MB unpacked being source maps with their sources (see the README);
    // the sample logs alone would add ~0.2 MB packed each. 1.1 MB since the CLI's V8 code cache (dist/cli/apachescan.cjs.cache,
    // 0.58 MB, 0.27 MB packed: start-up, see the README's Performance); 1.15 MB with the report's columns, the
    // open-files limit and the word-wise intern table.
    assert.ok(statSync(tarball).size < 1_200_000, `tarball is ${statSync(tarball).size} bytes`);
  });

  it(`lowest rxjs (${LOWEST}): one rxjs, compiles strict with moduleResolution node10, runs`, () => {
    const dir = installConsumer('lowest', LOWEST);
    assert.deepEqual(rxjsCopies(dir), [join(dir, 'node_modules', 'rxjs')]);
    compile(dir, 'node10');
    assertBehaviour(runConsumer(dir));
  });

  it(`lowest rxjs with typed exports (${LOWEST_TYPED_EXPORTS}): compiles with node16 and bundler, runs`, () => {
    const dir = installConsumer('typed', LOWEST_TYPED_EXPORTS);
    assert.deepEqual(rxjsCopies(dir), [join(dir, 'node_modules', 'rxjs')]);
    compile(dir, 'bundler');
    compile(dir, 'node16');
    assertBehaviour(runConsumer(dir));
  });

  it('newest rxjs 7.x: compiles with node16, bundler and node10, runs; the CLI runs from its bundle (no yargs installed); library and CLI run without prom-client', () => {
    const dir = installConsumer('newest', '^7');
    assert.deepEqual(rxjsCopies(dir), [join(dir, 'node_modules', 'rxjs')]);
    const version = (JSON.parse(readFileSync(join(dir, 'node_modules', 'rxjs', 'package.json'), 'utf8')) as { version: string }).version;
    assert.match(version, /^7\./);
    compile(dir, 'bundler');
    compile(dir, 'node10');
    compile(dir, 'node16');
    assertBehaviour(runConsumer(dir));

    const bin = join(dir, 'node_modules', '.bin', 'apachescan');
    const help = spawnSync(bin, ['--help'], { cwd: dir, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /--prometheus/);
    const once = spawnSync(bin, [join(dir, 'node_modules', 'apachescan', 'README.md'), '--once', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.match(once.stdout, /"type":"summary"/, once.stderr);

    // ESM first, and CommonJS may still load it: require() of an ES module (Node 20.19+; no top-level await), and import().
    const cjs = spawnSync(
      process.execPath,
      [
        '-e',
        "const a = require('apachescan'); import('apachescan/operators').then((o) => console.log(typeof a.monitor, typeof o.eventTimeWindows))",
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(cjs.stdout.trim(), 'function function', cjs.stderr);

    // The CLI's bundle holds yargs: the package does not install it.
    assert.equal(existsSync(join(dir, 'node_modules', 'yargs')), false, 'yargs is bundled into dist/cli, not installed');
    // A library user who never runs the CLI: without prom-client (only --prometheus and
    // apachescan/prometheus load it), everything above still works, and so does the CLI.
    rmSync(join(dir, 'node_modules', 'prom-client'), { recursive: true });
    assertBehaviour(runConsumer(dir));
    const web = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "const w = await import('apachescan/web'); console.log(typeof w.startWebSink, typeof w.writeReport)"],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(web.stdout.trim(), 'function function', web.stderr);
    const bare = spawnSync(bin, [join(dir, 'node_modules', 'apachescan', 'README.md'), '--once', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.match(bare.stdout, /"type":"summary"/, bare.stderr);
  });
});
