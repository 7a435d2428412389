/**
 * Start-up as a user meets it: the time until the first byte on stdout of a 10-line replay
 * (`apachescan tenLines.log --once`, whose first stats event is that first byte) beside
 * `node -e 0` and `apachescan --help`, each run to its end; several interleaved rounds, the
 * median and the range shown. When the environment sets NODE_EXTRA_CA_CERTS, every command
 * is also run without it, in the same rounds: Node reads that bundle of certificates at every
 * start (about 30 ms on this project's machine, whose environment sets it: `node -e 0` took
 * 60 ms with it, 19 ms without, medians of 20 interleaved runs), a cost of the environment, not
 * of apachescan, that hides part of what the table is about. Each row's ratio is to the
 * `node -e 0` of its own environment.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spread, showSpread, type Spread } from './rounds.js';
import { writeLog } from './writeLog.js';

interface Timing {
  /** ms from spawn to the first stdout byte (undefined: the command printed nothing). */
  readonly firstByteMs: number | undefined;
  readonly exitMs: number;
}

/** The environments of the runs: this one as it is, and without NODE_EXTRA_CA_CERTS when it sets it (see above). */
function startupEnvs(): { readonly label: string; readonly env: NodeJS.ProcessEnv }[] {
  const { NODE_EXTRA_CA_CERTS: certs, ...without } = process.env;
  if (certs === undefined) return [{ label: '', env: process.env }];
  return [
    { label: '', env: process.env },
    { label: ' {no CA env}', env: without },
  ];
}

/** Runs `command args` once (stdout read, stderr ignored); fails on a non-zero exit. */
export function timeFirstOutput(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
    let firstByteMs: number | undefined;
    child.stdout.on('data', () => (firstByteMs ??= performance.now() - started));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${[command, ...args].join(' ')} exited ${code}`));
      else resolve({ firstByteMs, exitMs: performance.now() - started });
    });
  });
}

export interface StartupRow {
  readonly name: string;
  readonly ms: Spread;
  /** The name of the `node -e 0` row of the same environment, the row's reference. */
  readonly reference: string;
}

/** The start-up rows of a build's CLI (`label` marks another build's rows), `rounds` interleaved rounds each. */
export async function startupRows(
  node: string,
  clis: readonly { readonly cli: string; readonly label: string }[],
  rounds: number,
  progress: (message: string) => void,
): Promise<StartupRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'apachescan-bench-startup-'));
  try {
    const tenLines = join(dir, 'tenLines.log');
    await writeLog(tenLines, { lines: 10, seed: 42 });
    const commands: [string, () => Promise<number>, string][] = [];
    for (const { label: envLabel, env } of startupEnvs()) {
      const reference = `node -e 0 (to exit)${envLabel}`;
      commands.push([reference, async () => (await timeFirstOutput(node, ['-e', '0'], env)).exitMs, reference]);
      for (const { cli, label } of clis) {
        commands.push([
          `apachescan --help (to exit)${label}${envLabel}`,
          async () => (await timeFirstOutput(node, [cli, '--help'], env)).exitMs,
          reference,
        ]);
        commands.push([
          `apachescan tenLines.log --once: first output${label}${envLabel}`,
          async () => {
            const t = await timeFirstOutput(node, [cli, tenLines, '--once', '--output', 'json'], env);
            if (t.firstByteMs === undefined) throw new Error(`${cli} printed nothing for a 10-line replay`);
            return t.firstByteMs;
          },
          reference,
        ]);
      }
    }
    // One warm-up of each (the page cache), then interleaved rounds.
    for (const [, run] of commands) await run();
    const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
    for (let i = 1; i <= rounds; i++) {
      progress(`start-up round ${i}/${rounds} ...`);
      for (const [name, run] of commands) times.get(name)!.push(await run());
    }
    return commands.map(([name, , reference]) => ({ name, ms: spread(times.get(name)!), reference }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The start-up table: ms median (min–max) and the ratio of medians to `node -e 0`. */
export function startupTable(rows: readonly StartupRow[]): string {
  const medians = new Map(rows.map((r) => [r.name, r.ms.median]));
  const cells = rows.map((r) => [r.name, showSpread(r.ms, 0), `${(r.ms.median / (medians.get(r.reference) ?? Number.NaN)).toFixed(2)}x`]);
  const header = [`start-up (${rows[0]?.ms.rounds ?? 0} rounds)`, 'ms median (min–max)', 'vs node -e 0'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const cell = (x: string, i: number): string => (i === 0 ? x.padEnd(widths[i] ?? 0) : x.padStart(widths[i] ?? 0));
  const line = (c: readonly string[]): string => `| ${c.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const note = rows.some((r) => r.name.endsWith(' {no CA env}'))
    ? [
        '({no CA env}: the same commands without NODE_EXTRA_CA_CERTS, which this environment sets; ratios to the node -e 0 of the same environment)',
      ]
    : [];
  return [line(header), rule, ...cells.map(line), ...note].join('\n');
}
