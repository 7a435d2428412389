/**
 * Wall time and peak resident memory of a child process.
 *
 * Node gives no resource usage for children (`spawnSync` returns none, `process.resourceUsage`
 * is for the current process), so peak RSS comes from one of:
 * - `time`: GNU `/usr/bin/time -f %M` (Debian package `time`): the kernel's ru_maxrss of the
 *   child, exact;
 * - `proc`: polling `/proc/<pid>/status` VmHWM (the kernel's high-water mark) every 10 ms;
 *   exact unless the peak happens in the last few ms before exit;
 * - `none`: neither is available; wall time only.
 * Wall time is always measured here, from spawn to exit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type RssMethod = 'time' | 'proc' | 'none';

export interface Measurement {
  readonly wallMs: number;
  /** Peak resident set size in KiB, when the method can tell. */
  readonly peakRssKb: number | undefined;
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last few KiB of the child's stderr. */
  readonly stderr: string;
}

export interface MeasureOptions {
  readonly method: RssMethod;
  readonly env?: NodeJS.ProcessEnv;
}

const GNU_TIME = '/usr/bin/time';
const STDERR_KEEP = 4096;
const POLL_MS = 10;
let sequence = 0;

/** The best way to measure peak RSS on this machine. */
export function detectRssMethod(): RssMethod {
  if (existsSync(GNU_TIME)) {
    const probe = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
    if (probe.status === 0 && /^\d+\s*$/m.test(probe.stderr)) return 'time';
  }
  return existsSync('/proc/self/status') ? 'proc' : 'none';
}

/** Runs `command args` with stdin and stdout on /dev/null and measures it. */
export async function measure(command: string, args: readonly string[], options: MeasureOptions): Promise<Measurement> {
  if (options.method === 'time') {
    const report = join(tmpdir(), `apachescan-bench-${process.pid}-${sequence++}.time`);
    try {
      const run = await runChild(GNU_TIME, ['-f', '%M', '-o', report, command, ...args], options.env);
      const text = await readFile(report, 'utf8').catch(() => '');
      const kb = /^(\d+)\s*$/m.exec(text.trim().split('\n').pop() ?? '');
      return { ...run, peakRssKb: kb ? Number(kb[1]) : undefined };
    } finally {
      await rm(report, { force: true });
    }
  }
  return runChild(command, args, options.env, options.method === 'proc');
}

function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv | undefined, poll = false): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: env ?? process.env });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (data: string) => {
      stderr = (stderr + data).slice(-STDERR_KEEP);
    });
    let peakRssKb: number | undefined;
    const sample = (): void => {
      const kb = child.pid === undefined ? undefined : readHighWaterMark(child.pid);
      if (kb !== undefined) peakRssKb = Math.max(peakRssKb ?? 0, kb);
    };
    const timer = poll ? setInterval(sample, POLL_MS) : undefined;
    if (poll) sample();
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ wallMs: performance.now() - started, peakRssKb, code, signal, stderr });
    });
  });
}

/** VmHWM of a live process in KiB, or undefined once it has exited. */
function readHighWaterMark(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The path of an executable `name` on PATH, if any. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
