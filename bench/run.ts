/**
 * apachescan benchmark: wall time, throughput and peak RSS of
 * `node bin/apachescan.js FILE --once --output json` on a generated Combined log over several
 * rounds (median and range), plus start-up (bench/startup.ts: the first output of a 10-line
 * replay beside `node -e 0`); with --compare, one table of every path into the engine
 * (bench/compare.ts).
 *
 *   npm run bench -- [--lines N] [--seed S] [--file PATH] [--runs K] [--compare] [--only startup]
 *
 * Prints figures only, no verdict. Exit status: 0, or 1 when a run fails (or the CLI is
 * missing), 2 on bad arguments.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GENERATOR_VERSION } from './generateLog.js';
import { detectRssMethod, measure, type Measurement, type RssMethod } from './measure.js';
import { writeLog } from './writeLog.js';
import { manyFilesBench } from './manyFiles.js';
import { compareOn, compareTable, loadNote, type Row } from './compare.js';
import { spread, showSpread } from './rounds.js';
import { startupRows, startupTable, type StartupRow } from './startup.js';

const USAGE = `usage: npm run bench -- [--lines N] [--seed S] [--file PATH] [--runs K] [--compare [--against DIR]] [--many-files N]
                       [--only startup [--against DIR]]
  --only startup  the start-up table alone (--runs rounds, at least 10), with --against DIR's rows
  --many-files N  N small files as one glob, read once, followed, and followed with a checkpoint (bench/manyFiles.ts),
               --runs rounds, with --against DIR's rows interleaved
  --lines N    lines to generate (default 1000000)
  --seed S     generator seed (default 42)
  --file PATH  log to benchmark (default bench/out/bench-<lines>-<seed>.log); generated when
               missing, reused when its .meta.json matches, used as is when it has none
  --runs K     rounds per command, median and range (min–max) reported (default 3;
               start-up: at least 10)
  --compare    one table of every path into the engine (--once, with 0 and 2 parse workers,
               monitor(readLogFile()), a Subject<string>, stdin, follow-mode catch-up with and
               without checkpoints, distinct clients and paths, a custom LogFormat and its named
               twin, a hand-written parser) on a 1M- and a 2M-line log (or --lines N only), with
               ratios to --once and to the floor (1 MiB reads and a newline count, one thread)
  --against DIR  with --compare: also time every path of the build in DIR (another checkout,
               built: e.g. a git worktree of main), in the same rounds, each row beside its
               twin, ratios to that build's own --once`;

/** Bad command-line arguments: one line and the usage, exit 2. */
class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

/** A command that could not run or failed: exit 1. */
class BenchRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchRunError';
  }
}

interface BenchOptions {
  readonly lines: number;
  readonly linesGiven: boolean;
  readonly seed: number;
  readonly file: string | undefined;
  readonly runs: number;
  readonly compare: boolean;
  readonly against: string | undefined;
  readonly manyFiles: number | undefined;
  /** `--only startup`: the start-up table alone. */
  readonly startupOnly: boolean;
}

interface LogFile {
  readonly path: string;
  readonly lines: number;
  readonly bytes: number;
  readonly note: string;
}

interface Meta {
  readonly generator: number;
  readonly lines: number;
  readonly seed: number;
  readonly bytes: number;
}

interface Series {
  readonly name: string;
  readonly runs: readonly Measurement[];
}

const MB = 1e6;
const root = fileURLToPath(new URL('../../', import.meta.url));

function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call that assigns it
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        lines: { type: 'string' },
        seed: { type: 'string' },
        file: { type: 'string' },
        runs: { type: 'string' },
        compare: { type: 'boolean', default: false },
        against: { type: 'string' },
        'many-files': { type: 'string' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return 'help';
  const integer = (name: string, text: string | undefined, fallback: number, min: number): number => {
    if (text === undefined) return fallback;
    const n = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min) throw new BenchUsageError(`--${name} must be an integer >= ${min}, got '${text}'`);
    return n;
  };
  if (values.only !== undefined && values.only !== 'startup') throw new BenchUsageError(`--only takes 'startup', got '${values.only}'`);
  return {
    lines: integer('lines', values.lines, 1_000_000, 1),
    linesGiven: values.lines !== undefined,
    seed: integer('seed', values.seed, 42, Number.MIN_SAFE_INTEGER),
    file: values.file,
    runs: integer('runs', values.runs, 3, 1),
    compare: values.compare,
    against: values.against,
    manyFiles: values['many-files'] === undefined ? undefined : integer('many-files', values['many-files'], 0, 1),
    startupOnly: values.only === 'startup',
  };
}

/** A path as the user would type it: relative to the working directory when inside it. */
function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function readMeta(path: string): Promise<Meta | undefined> {
  try {
    const meta: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof meta !== 'object' || meta === null) return undefined;
    const { generator, lines, seed, bytes } = meta as Record<string, unknown>;
    if (typeof generator !== 'number' || typeof lines !== 'number' || typeof seed !== 'number' || typeof bytes !== 'number') {
      return undefined;
    }
    return { generator, lines, seed, bytes };
  } catch {
    return undefined;
  }
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1] ?? last;
  }
  return last === 0x0a ? lines : lines + 1;
}

/** The log to benchmark: reused when its sidecar metadata matches, else generated. */
async function prepareLog(options: BenchOptions): Promise<LogFile> {
  const path = resolve(options.file ?? join(root, 'bench', 'out', `bench-${options.lines}-${options.seed}.log`));
  const metaPath = `${path}.meta.json`;
  const size = await stat(path).then(
    (s) => s.size,
    () => undefined,
  );
  const meta = await readMeta(metaPath);
  if (size !== undefined) {
    if (
      meta !== undefined &&
      meta.generator === GENERATOR_VERSION &&
      meta.lines === options.lines &&
      meta.seed === options.seed &&
      meta.bytes === size
    ) {
      return { path, lines: meta.lines, bytes: size, note: 'reused' };
    }
    if (meta === undefined && options.file !== undefined) {
      progress(`${shown(path)} has no ${shown(metaPath)}: benchmarking it as is (--lines/--seed ignored)`);
      return { path, lines: await countLines(path), bytes: size, note: 'existing file, used as is' };
    }
  }
  await mkdir(dirname(path), { recursive: true });
  progress(`generating ${options.lines} lines (seed ${options.seed}) into ${shown(path)} ...`);
  const started = performance.now();
  const { lines, bytes } = await writeLog(path, { lines: options.lines, seed: options.seed });
  const seconds = (performance.now() - started) / 1000;
  const meta2: Meta = { generator: GENERATOR_VERSION, lines, seed: options.seed, bytes };
  await writeFile(metaPath, `${JSON.stringify(meta2)}\n`);
  const rate = `${fmtInt(lines / seconds)} lines/s, ${(bytes / MB / seconds).toFixed(1)} MB/s`;
  return { path, lines, bytes, note: `generated in ${seconds.toFixed(1)} s: ${rate}` };
}

/** Reads the file once so that the first timed run does not pay for the disk. */
async function warmPageCache(path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) void chunk;
}

function describeFailure(name: string, command: readonly string[], run: Measurement): string {
  const how = run.signal !== null ? `killed by ${run.signal}` : `exit code ${run.code}`;
  const tail = run.stderr
    .trim()
    .split('\n')
    .slice(-15)
    .map((line) => `    ${line}`)
    .join('\n');
  return `${name} failed (${how})\n  command: ${command.map(shown).join(' ')}${tail ? `\n  stderr:\n${tail}` : ''}`;
}

/** Runs a command `runs` times; throws BenchRunError on the first failure. */
async function series(
  name: string,
  command: readonly [string, ...string[]],
  runs: number,
  method: RssMethod,
  env?: NodeJS.ProcessEnv,
): Promise<Series> {
  const [file, ...args] = command;
  const results: Measurement[] = [];
  for (let i = 1; i <= runs; i++) {
    progress(`${name} run ${i}/${runs} ...`);
    let run: Measurement;
    try {
      run = await measure(file, args, env === undefined ? { method } : { method, env });
    } catch (error) {
      throw new BenchRunError(`${name}: cannot start ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (run.code !== 0) throw new BenchRunError(describeFailure(`${name} run ${i}/${runs}`, command, run));
    results.push(run);
  }
  return { name, runs: results };
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

function throughputRow(label: string, runs: readonly Measurement[], log: LogFile): string[] {
  const wall = spread(runs.map((r) => r.wallMs));
  const seconds = wall.median / 1000;
  const peaks = runs.flatMap((r) => (r.peakRssKb === undefined ? [] : [r.peakRssKb]));
  return [
    label,
    fmtInt(log.lines),
    (log.bytes / MB).toFixed(1),
    showSpread(wall, 3, 1 / 1000),
    fmtInt(log.lines / seconds),
    (log.bytes / MB / seconds).toFixed(1),
    peaks.length === 0 ? 'n/a' : ((Math.max(...peaks) * 1024) / MB).toFixed(1),
  ];
}

/** Start-up rounds: at least 10 (each is a fraction of a second). */
function startup(options: BenchOptions, node: string, cli: string): Promise<StartupRow[]> {
  const clis = [{ cli, label: '' }];
  if ((options.compare || options.startupOnly) && options.against !== undefined)
    clis.push({ cli: join(resolve(options.against), 'bin', 'apachescan.js'), label: ' [against]' });
  return startupRows(node, clis, Math.max(10, options.runs), progress);
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const cli = join(root, 'bin', 'apachescan.js');
  if ((await stat(cli).catch(() => undefined)) === undefined) {
    throw new BenchRunError(`${shown(cli)} not found: the apachescan CLI does not exist yet, nothing to benchmark`);
  }
  const node = process.execPath;
  const method = detectRssMethod();
  if (options.manyFiles !== undefined) {
    const builds = [{ cli, label: '' }];
    if (options.against !== undefined) builds.push({ cli: join(resolve(options.against), 'bin', 'apachescan.js'), label: ' [against]' });
    console.log((await manyFilesBench(options.manyFiles, builds, method, options.runs)).join('\n'));
    return 0;
  }

  // Start-up first: it also checks that the CLI runs at all before a long generation.
  const started = await startup(options, node, cli);
  if (options.startupOnly) {
    console.log(
      `apachescan bench --only startup\n  machine   Node ${process.version}, ${cpus().length} CPUs; load average ${loadNote()}\n\n${startupTable(started)}`,
    );
    return 0;
  }

  if (options.compare) return compareAll(options, node, cli, method, started);

  const log = await prepareLog(options);
  progress(`reading ${shown(log.path)} once to warm the page cache ...`);
  await warmPageCache(log.path);

  const scanCommand: [string, ...string[]] = [node, cli, log.path, '--once', '--output', 'json'];
  const all: Series[] = [await series('apachescan', scanCommand, options.runs, method)];
  const rssHow = {
    time: 'GNU /usr/bin/time %M (ru_maxrss)',
    proc: '/proc/<pid>/status VmHWM, polled every 10 ms',
    none: 'not available',
  }[method];
  const out: string[] = [];
  out.push('apachescan bench');
  out.push(`  file      ${shown(log.path)}  (${fmtInt(log.lines)} lines, ${(log.bytes / MB).toFixed(1)} MB; ${log.note})`);
  out.push(`  command   ${scanCommand.map(shown).join(' ')}  (stdout to /dev/null)`);
  const how = 'wall time median (min–max), lines/s and MB/s of the median; peak RSS (highest)';
  out.push(`  runs      ${options.runs} rounds per command: ${how}: ${rssHow}`);
  out.push(`  machine   Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs; MB = 10^6 bytes`);
  out.push('');
  out.push(startupTable(started));
  out.push('');
  out.push('throughput');
  const header = ['command', 'lines', 'MB', 'wall s median (min–max)', 'lines/s', 'MB/s', 'peak RSS MB'];
  out.push(
    table(
      header,
      all.map((s) => throughputRow(s.name, s.runs, log)),
    ),
  );
  console.log(out.join('\n'));
  return 0;
}

/** `--compare`: start-up, then one table over the 1M- and 2M-line logs (or --lines N). */
async function compareAll(
  options: BenchOptions,
  node: string,
  cli: string,
  method: RssMethod,
  started: readonly StartupRow[],
): Promise<number> {
  const sizes = options.linesGiven || options.file !== undefined ? [options.lines] : [1_000_000, 2_000_000];
  const loadBefore = loadNote();
  const rows: Row[] = [];
  const files: string[] = [];
  for (const lines of sizes) {
    const log = await prepareLog({ ...options, lines });
    files.push(`${shown(log.path)} (${fmtInt(log.lines)} lines, ${(log.bytes / MB).toFixed(1)} MB)`);
    await warmPageCache(log.path);
    rows.push(
      ...(await compareOn(
        { path: log.path, lines: log.lines },
        {
          node,
          cli,
          paths: join(root, 'dist', 'bench', 'paths.js'),
          root,
          runs: options.runs,
          method,
          progress,
          ...(options.against === undefined ? {} : { against: resolve(options.against) }),
        },
      )),
    );
  }
  const out: string[] = [];
  out.push('apachescan bench --compare');
  for (const file of files) out.push(`  file      ${file}`);
  if (options.against !== undefined) out.push(`  against   ${resolve(options.against)}: rows marked [against], timed in the same rounds`);
  out.push(
    `  runs      ${options.runs} rounds (each path once per round): wall time median (min–max), lines/s and ratios of the medians; peak RSS: highest of the rounds, ${method === 'time' ? 'GNU time %M' : '/proc VmHWM'} (follow rows: /proc VmHWM)`,
  );
  out.push(
    `  machine   Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs; load average (1/5/15 min) ${loadBefore} before, ${loadNote()} after`,
  );
  out.push('');
  out.push(startupTable(started));
  out.push('');
  out.push(compareTable(rows));
  console.log(out.join('\n'));
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof BenchUsageError) {
    console.error(`bench: ${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof BenchRunError) {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
