/**
 * `npm run bench -- --compare`: every way into the engine, timed side by side on the same
 * logs, in one table: wall time (median and range over the rounds), lines/s, peak RSS (the highest
 * of the rounds), the ratio of medians to `--once` of the same build in the same run, and to the
 * floor (`bench/floor.ts`: 1 MiB reads and a newline count on one thread, the first row of each log).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeDistinctLog } from './distinctLog.js';
import { splitRotated, splitRoundRobin } from './splitLog.js';
import { measure, type Measurement, type RssMethod } from './measure.js';
import { webPaths } from './web.js';
import { spread, showSpread, type Spread } from './rounds.js';
import { rulesPaths } from './rules.js';
import { workerPaths } from './workers.js';

export interface ComparedLog {
  readonly path: string;
  readonly lines: number;
}

export interface CompareSetup {
  readonly node: string;
  readonly cli: string;
  readonly paths: string;
  /** This checkout (for the embedding samples). */
  readonly root: string;
  /** Another built checkout whose paths are timed too, in the same rounds. */
  readonly against?: string;
  readonly runs: number;
  readonly method: RssMethod;
  readonly progress: (message: string) => void;
}

export interface Row {
  readonly path: string;
  readonly lines: number;
  /** Wall time over the rounds, ms. */
  readonly wall: Spread;
  /** The highest peak RSS of the rounds. */
  readonly peakMb: number | undefined;
}

/** The row of the single-thread floor (`bench/floor.ts`). */
export const FLOOR_ROW = 'floor: 1 MiB reads + newline count, one thread';
/** The row each build's other rows are compared with. */
export const ONCE_ROW = 'apachescan FILE --once';
const AGAINST = ' [against]';

/** A custom LogFormat that reads the bench log (Combined with `User-Agent` spelt another way). */
export const CUSTOM_FORMAT = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"';

/** The rows of one log (and its distinct-values twin), `runs` rounds each. */
export async function compareOn(log: ComparedLog, setup: CompareSetup): Promise<Row[]> {
  const { node, cli, paths } = setup;
  const distinct = `${log.path.replace(/\.log$/, '')}-distinct.log`;
  if ((await stat(distinct).catch(() => undefined)) === undefined) {
    setup.progress(`writing ${distinct} (every line its own client and path) ...`);
    await writeDistinctLog(log.path, distinct);
  }
  const base = log.path.replace(/\.log$/, '');
  const thirds = ['a', 'b', 'c'].map((x) => `${base}-${x}.log`);
  setup.progress('splitting the log into 3 files (round robin) and 3 rotated parts, unless done ...');
  await splitRoundRobin(log.path, thirds);
  const rotated = await splitRotated(log.path, log.lines, `${base}-rotated`, 'access.log');
  const target = lastWindowClosedByData(node, cli, [log.path]);
  const targetOfThirds = lastWindowClosedByData(node, cli, thirds);
  const files = { distinct, thirds, rotated, target, targetOfThirds };
  const commands = pathsOf({ node, cli, paths, sample: join(setup.root, 'samples', 'embedding', 'custom-stage.mjs') }, log, files, setup);
  // The floor, once per round like every path (the same for both builds: this build's script).
  const floor = join(setup.root, 'dist', 'bench', 'floor.js');
  commands.unshift([FLOOR_ROW, () => measure(node, [floor, log.path], { method: setup.method })]);
  if (setup.against !== undefined) {
    const other = {
      node,
      cli: join(setup.against, 'bin', 'apachescan.js'),
      paths: join(setup.against, 'dist', 'bench', 'paths.js'),
      sample: join(setup.against, 'samples', 'embedding', 'custom-stage.mjs'),
    };
    commands.push(...pathsOf(other, log, files, setup).map(([name, run]): [string, () => Promise<Measurement>] => [name + AGAINST, run]));
  }
  // Round robin (each path once per round), so that a burst of load from elsewhere on the
  // machine hits every path alike; every run is kept, the table shows the median and the range.
  const all = new Map<string, Measurement[]>();
  for (let i = 1; i <= setup.runs; i++) {
    for (const [name, run] of commands) {
      setup.progress(`${name} (${log.lines} lines) round ${i}/${setup.runs} ...`);
      const m = await run();
      if (m.code !== 0 && m.signal !== 'SIGKILL')
        throw new Error(`${name} failed (exit ${m.code}): ${m.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      all.set(name, [...(all.get(name) ?? []), m]);
    }
  }
  const rows: Row[] = [];
  const rowOf = (name: string): Row => {
    const runs = all.get(name) as Measurement[];
    const peaks = runs.flatMap((m) => (m.peakRssKb === undefined ? [] : [(m.peakRssKb * 1024) / 1e6]));
    return {
      path: name,
      lines: log.lines,
      wall: spread(runs.map((m) => m.wallMs)),
      peakMb: peaks.length === 0 ? undefined : Math.max(...peaks),
    };
  };
  // Each row, then its twin of the other build, if any.
  for (const [name] of commands) {
    if (name.endsWith(AGAINST)) continue;
    rows.push(rowOf(name));
    if (all.has(name + AGAINST)) rows.push(rowOf(name + AGAINST));
  }
  return rows;
}

/** The paths into the engine of one build (its CLI, its library paths, its embedding sample), as named commands. */
function pathsOf(
  build: { readonly node: string; readonly cli: string; readonly paths: string; readonly sample: string },
  log: ComparedLog,
  files: {
    readonly distinct: string;
    readonly thirds: readonly string[];
    readonly rotated: string;
    readonly target: string;
    readonly targetOfThirds: string;
  },
  setup: CompareSetup,
): Array<[string, () => Promise<Measurement>]> {
  const { node, cli, paths, sample } = build;
  const { distinct, thirds, rotated, target, targetOfThirds } = files;
  const once = ['--once', '--output', 'json'];
  const commands: Array<[string, () => Promise<Measurement>]> = [
    [ONCE_ROW, () => measure(node, [cli, log.path, ...once], { method: setup.method })],
    ...workerPaths(node, cli, log.path, setup.method),
    ['monitor(readLogFile(FILE))', () => measure(node, [paths, 'library', log.path], { method: setup.method })],
    ['Subject<string> line by line into monitor()', () => measure(node, [paths, 'subject', log.path], { method: setup.method })],
    [
      'cat FILE | apachescan - --once',
      () => measure('/bin/sh', ['-c', `cat "$0" | exec "$1" "$2" - --once --output json`, log.path, node, cli], { method: setup.method }),
    ],
    [
      'follow mode catch-up (last closed window out)',
      () => catchUp(node, [cli, log.path, '--json', '--no-checkpoint', '--idle-timeout', '3600'], target),
    ],
    [
      'follow mode catch-up, checkpointed',
      () =>
        withTempDir((dir) =>
          catchUp(node, [cli, log.path, '--json', '--checkpoint', join(dir, 'cp.json'), '--idle-timeout', '3600'], target),
        ),
    ],
    ['3 files (round robin by line), --once', () => measure(node, [cli, ...thirds, ...once], { method: setup.method })],
    ['FILE --history (.2, .1, live: thirds), --once', () => measure(node, [cli, rotated, '--history', ...once], { method: setup.method })],
    [
      '3 files, follow catch-up (--no-checkpoint)',
      () => catchUp(node, [cli, ...thirds, '--json', '--no-checkpoint', '--idle-timeout', '3600'], targetOfThirds),
    ],
    [
      '3 files, follow catch-up, checkpointed',
      () =>
        withTempDir((dir) =>
          catchUp(node, [cli, ...thirds, '--json', '--checkpoint', join(dir, 'cp.json'), '--idle-timeout', '3600'], targetOfThirds),
        ),
    ],
    ['every line its own client and path, --once', () => measure(node, [cli, distinct, ...once], { method: setup.method })],
    ['custom LogFormat, --once', () => measure(node, [cli, log.path, ...once, '--format', CUSTOM_FORMAT], { method: setup.method })],
    // The custom format's named twin: `--once` reads `auto` (Common plus whatever follows), which
    // does not look past the bytes field; Combined, named or custom, checks the two quoted fields too.
    [
      'named Combined (--format combined), --once',
      () => measure(node, [cli, log.path, ...once, '--format', 'combined'], { method: setup.method }),
    ],
    ['hand-written Node parser (readline + regex)', () => measure(node, [paths, 'handwritten', log.path], { method: setup.method })],
    ...rulesPaths(node, cli, log.path, setup.method),
  ];
  commands.push(...webPaths(build, log, target, setup.method));
  // The sample of a stage of the user's own, where the build has it.
  if (existsSync(sample))
    commands.splice(commands.findIndex(([name]) => name.startsWith('Subject<string>')) + 1, 0, [
      'samples/embedding/custom-stage.mjs FILE (filterRows)',
      () => measure(node, [sample, log.path], { method: setup.method }),
    ]);
  return commands;
}

/**
 * Follow mode reading a whole file as a backlog: the time from start until the last window
 * that the file's own lines close is printed (the newest two wait for more lines or the idle
 * clock). Peak RSS from /proc (VmHWM) at that moment; then the follower is killed.
 */
function catchUp(node: string, args: readonly string[], target: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4096)));
    let peakRssKb: number | undefined;
    const sample = (): void => {
      try {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(procStatus(child.pid));
        if (m) peakRssKb = Math.max(peakRssKb ?? 0, Number(m[1]));
      } catch {
        // exited
      }
    };
    const timer = setInterval(sample, 10);
    const deadline = setTimeout(() => child.kill('SIGKILL'), 300_000);
    let wallMs: number | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (wallMs === undefined && line.includes(target)) {
        wallMs = performance.now() - started;
        sample();
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      clearTimeout(deadline);
      if (wallMs === undefined) reject(new Error(`follow mode never printed ${target}: ${stderr.trim()}`));
      else resolve({ wallMs, peakRssKb, code: signal === 'SIGKILL' ? 0 : code, signal, stderr });
    });
  });
}

function procStatus(pid: number | undefined): string {
  if (pid === undefined) throw new Error('no pid');
  return readFileSync(`/proc/${pid}/status`, 'utf8');
}

/** `"start":"<iso>"` of the last window closed by the lines themselves in follow mode (third from last of a replay). */
function lastWindowClosedByData(node: string, cli: string, paths: readonly string[]): string {
  const replay = spawnSync(node, [cli, ...paths, '--once', '--output', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const starts = replay.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"type":"stats"'))
    .map((l) => (JSON.parse(l) as { start: string }).start);
  const start = starts.at(-3);
  if (start === undefined) throw new Error(`${paths.join(' ')}: too few windows for a follow-mode measurement`);
  return `"start":"${start}"`;
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'apachescan-bench-follow-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The table: one row per path and log size, median and range, with the ratios of medians to
 * `--once` of the same build (a row marked ` [against]` to that build's own) and to the floor, on the same log.
 */
export function compareTable(rows: readonly Row[]): string {
  const buildOf = (path: string): string => (path.endsWith(AGAINST) ? 'against' : 'this');
  const onceOf = new Map(
    rows.filter((r) => r.path === ONCE_ROW || r.path === ONCE_ROW + AGAINST).map((r) => [`${buildOf(r.path)} ${r.lines}`, r.wall.median]),
  );
  const floorOf = new Map(rows.filter((r) => r.path === FLOOR_ROW).map((r) => [r.lines, r.wall.median]));
  const ratio = (median: number, to: number | undefined): string => (to === undefined ? 'n/a' : `${(median / to).toFixed(2)}x`);
  const cells = rows.map((r) => [
    r.path,
    r.lines.toLocaleString('en-US'),
    showSpread(r.wall, 2, 1 / 1000),
    `${(((r.lines / r.wall.median) * 1000) / 1e6).toFixed(2)} M`,
    r.peakMb === undefined ? 'n/a' : r.peakMb.toFixed(0),
    r.path === FLOOR_ROW ? '' : ratio(r.wall.median, onceOf.get(`${buildOf(r.path)} ${r.lines}`)),
    ratio(r.wall.median, floorOf.get(r.lines)),
  ]);
  const header = ['path', 'lines', 'wall s median (min–max)', 'lines/s', 'peak RSS MB', 'vs --once', 'vs floor'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    `| ${c.map((x, i) => (i === 0 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}

/** The machine's load, for the notes under the table. */
export function loadNote(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
