/**
 * `npm run bench -- --many-files N [--runs K] [--against DIR]`: N small log files (5 lines each)
 * in one folder, as a glob: `--once` over them (wall time, peak RSS), following them, and
 * following them with a checkpoint (time to the first interval, peak RSS and most descriptors
 * open by then, under this shell's `ulimit -n`; stopped with SIGTERM, its summary shown); K
 * rounds, this build and DIR's interleaved in each. Issue 20 measured 10,000 files
 * at 4 min 47 s and 5.2 GB read once, and 3.2 GB with no output following.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, type RssMethod } from './measure.js';
import { showSpread, spread } from './rounds.js';
import { softOpenFilesLimit } from '../src/source/openFiles.js';

const LINES_PER_FILE = 5;

/** A Combined line at `seconds` after 2026-01-01T00:00:00Z. */
function line(seconds: number, host: string): string {
  const t = new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${pad(t.getUTCDate())}/${months[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
  return `${host} - - [${stamp}] "GET /p HTTP/1.1" 200 100 "-" "bench"`;
}

/** A build to measure: its CLI and a label for its rows. */
export interface BenchCli {
  readonly cli: string;
  readonly label: string;
}

interface Round {
  readonly onceS: number;
  readonly oncePeakMb: number | undefined;
  readonly firstS: number | undefined;
  readonly followPeakMb: number | undefined;
  readonly fds: number;
  readonly checkpointFirstS: number | undefined;
  readonly checkpointPeakMb: number | undefined;
  readonly summaries: readonly string[];
}

/**
 * The report lines of the many-files benchmark: each build's `--once`, follow and follow with
 * a checkpoint, `runs` rounds, the builds interleaved in each round (median and range).
 */
export async function manyFilesBench(count: number, clis: readonly BenchCli[], method: RssMethod, runs = 1): Promise<string[]> {
  const dir = join(tmpdir(), `apachescan-bench-many-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    for (let f = 0; f < count; f++) {
      const text = Array.from({ length: LINES_PER_FILE }, (_, i) => `${line(i * 60 + (f % 60), `10.0.${f % 250}.${i}`)}\n`).join('');
      writeFileSync(join(dir, `f${String(f).padStart(6, '0')}.log`), text);
    }
    const glob = join(dir, '*.log');
    const rounds = new Map<string, Round[]>(clis.map(({ label }) => [label, []]));
    for (let r = 0; r < runs; r++) {
      for (const { cli, label } of clis) {
        process.stderr.write(`many-files: round ${r + 1} of ${runs}${label}\n`);
        const once = await measure(process.execPath, [cli, glob, '--once', '--json'], { method });
        const follow = await followStartup(cli, [glob, '--json', '--no-checkpoint']);
        const saved = join(dir, 'checkpoint.json');
        rmSync(saved, { force: true });
        const checkpointed = await followStartup(cli, [glob, '--json', '--checkpoint', saved]);
        rounds.get(label)?.push({
          onceS: once.wallMs / 1000,
          oncePeakMb: mbOf(once.peakRssKb),
          firstS: follow.firstMs === undefined ? undefined : follow.firstMs / 1000,
          followPeakMb: mbOf(follow.peakKb),
          fds: follow.fds,
          checkpointFirstS: checkpointed.firstMs === undefined ? undefined : checkpointed.firstMs / 1000,
          checkpointPeakMb: mbOf(checkpointed.peakKb),
          summaries: [follow.summary, checkpointed.summary],
        });
      }
    }
    const lines = [
      `apachescan bench --many-files ${count} (${count * LINES_PER_FILE} lines), ${runs} round${runs === 1 ? '' : 's'}, ` +
        `ulimit -n ${softOpenFilesLimit()}; median (range)`,
    ];
    for (const { label } of clis) {
      const got = rounds.get(label) ?? [];
      const show = (pick: (r: Round) => number | undefined, digits: number, unit: string): string => {
        const values = got.map(pick);
        if (values.some((v) => v === undefined)) return 'none';
        return `${showSpread(spread(values as number[]), digits)} ${unit}`;
      };
      const row = (name: string): string => `  ${`${name}${label}`.padEnd(31)}`;
      lines.push(
        `${row('--once')}${show((r) => r.onceS, 1, 's')}, peak RSS ${show((r) => r.oncePeakMb, 0, 'MB')}`,
        `${row('follow')}first interval after ${show((r) => r.firstS, 1, 's')}, peak RSS ${show((r) => r.followPeakMb, 0, 'MB')}, ` +
          `${show((r) => r.fds, 0, 'fds')} at most`,
        `${row('follow --checkpoint')}first interval after ${show((r) => r.checkpointFirstS, 1, 's')}, ` +
          `peak RSS ${show((r) => r.checkpointPeakMb, 0, 'MB')}`,
      );
      const summaries = new Set(got.flatMap((r) => r.summaries));
      for (const summary of summaries) lines.push(`    summary at SIGTERM${label}: ${summary}`);
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mbOf(kb: number | undefined): number | undefined {
  return kb === undefined ? undefined : kb / 1024;
}

/** Follows the glob until its first interval (at most 5 min), then SIGTERM: the time, the peak RSS (VmHWM), the summary. */
function followStartup(
  cli: string,
  args: readonly string[],
): Promise<{ firstMs: number | undefined; peakKb: number | undefined; fds: number; summary: string }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let firstMs: number | undefined;
    let peakKb: number | undefined;
    let fds = 0;
    const peak = (): void => {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKb = Number(match[1]);
      fds = Math.max(fds, readdirSync(`/proc/${child.pid}/fd`).length);
    };
    const stop = (): void => {
      clearInterval(poll);
      clearTimeout(limit);
      try {
        peak();
      } catch {
        // gone already
      }
      child.kill('SIGTERM');
    };
    const poll = setInterval(() => {
      try {
        peak();
      } catch {
        // gone already
      }
    }, 100);
    const limit = setTimeout(stop, 300_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (firstMs === undefined && out.includes('"type":"stats"')) {
        firstMs = performance.now() - start;
        stop();
      }
    });
    child.on('close', () => resolve({ firstMs, peakKb, fds, summary: out.trim().split('\n').pop() ?? '' }));
  });
}
