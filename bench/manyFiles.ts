/**
 * `npm run bench -- --many-files N`: N small log files (5 lines each) in one folder, as a glob:
 * `--once` over them (wall time, peak RSS), and following them (time to the first interval,
 * peak RSS and most descriptors open by then, under this shell's `ulimit -n`; stopped with
 * SIGTERM, its summary checked). Issue 20 measured 10,000 files
 * at 4 min 47 s and 5.2 GB read once, and 3.2 GB with no output following.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, type RssMethod } from './measure.js';
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

/** The report lines of the many-files benchmark. */
export async function manyFilesBench(count: number, cli: string, method: RssMethod): Promise<string[]> {
  const dir = join(tmpdir(), `apachescan-bench-many-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    for (let f = 0; f < count; f++) {
      const text = Array.from({ length: LINES_PER_FILE }, (_, i) => `${line(i * 60 + (f % 60), `10.0.${f % 250}.${i}`)}\n`).join('');
      writeFileSync(join(dir, `f${String(f).padStart(6, '0')}.log`), text);
    }
    const glob = join(dir, '*.log');
    const once = await measure(process.execPath, [cli, glob, '--once', '--json'], { method });
    const follow = await followStartup(cli, glob);
    const mb = (kb: number | undefined): string => (kb === undefined ? '?' : `${(kb / 1024).toFixed(0)} MB`);
    return [
      `apachescan bench --many-files ${count} (${count * LINES_PER_FILE} lines)`,
      `  --once        ${(once.wallMs / 1000).toFixed(1)} s, peak RSS ${mb(once.peakRssKb)}, exit ${once.code}`,
      `  follow        first interval after ${follow.firstMs === undefined ? 'none' : `${(follow.firstMs / 1000).toFixed(1)} s`}, peak RSS ${mb(follow.peakKb)}, ` +
        `${follow.fds} fds at most (ulimit -n ${softOpenFilesLimit()}); ${follow.summary}`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Follows the glob until its first interval (at most 5 min), then SIGTERM: the time, the peak RSS (VmHWM), the summary. */
function followStartup(
  cli: string,
  glob: string,
): Promise<{ firstMs: number | undefined; peakKb: number | undefined; fds: number; summary: string }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [cli, glob, '--json', '--no-checkpoint'], { stdio: ['ignore', 'pipe', 'ignore'] });
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
