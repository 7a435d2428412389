/**
 * The tailer's writer: a real child process appending numbered lines `1 ...`, `2 ...`, ... at
 * a given rate, all with one fixed timestamp (this same file, run as a script:
 * `node writer.js <path> <count> <linesPerSecond> [reopenDelayMs]`), with waiting and the
 * exactly-once check (`tally`). For the byte-exact tests of the tailer; windows and alerts
 * need dated lines: `logWriter.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sleep } from './sleep.js';
import { NODE_LOADER_ARGS } from './paths.js';

export interface Writer {
  readonly pid: number;
  /** Resolves with the number of lines written once the writer has exited. */
  readonly done: Promise<number>;
  reopen(): void;
  /** Stops the writer (SIGSTOP) and returns once it is stopped, synchronously. */
  pause(): void;
  resume(): void;
  kill(): void;
}

const script = fileURLToPath(import.meta.url);
const running = new Set<ChildProcess>();

/** Kills writers still running (after a failed test). */
export function killWriters(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Starts a writer; resolves once it has opened (created) the file and is writing. */
export async function startWriter(path: string, count: number, rate: number, reopenDelay = 0): Promise<Writer> {
  const child = spawn(process.execPath, [...NODE_LOADER_ARGS, script, path, String(count), String(rate), String(reopenDelay)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number>((resolve, reject) => {
    child.on('exit', (code) => {
      running.delete(child);
      const m = /done (\d+)/.exec(out);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`writer exited with ${code}: ${out}`));
    });
  });
  const ready = new Promise<void>((resolve) => {
    const check = (): void => {
      if (!out.includes('ready')) return;
      child.stdout.off('data', check);
      resolve();
    };
    child.stdout.on('data', check);
  });
  await Promise.race([ready, done]);
  const signal = (s: NodeJS.Signals) => () => void child.kill(s);
  return {
    pid: child.pid ?? -1,
    done,
    reopen: signal('SIGHUP'),
    pause: () => {
      child.kill('SIGSTOP');
      spinUntil(() => processState(child.pid ?? -1) === 'T', 1000);
    },
    resume: signal('SIGCONT'),
    kill: signal('SIGKILL'),
  };
}

/** The state letter in /proc/<pid>/stat ('R', 'S', 'T'...). */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '?';
  }
}

/** Blocks the event loop until `cond` or `ms` pass: the reader in this process falls behind. */
export function spinUntil(cond: () => boolean, ms: number): void {
  const until = performance.now() + ms;
  while (!cond() && performance.now() < until);
}

/** Blocks the event loop for `ms`. */
export const lag = (ms: number): void => spinUntil(() => false, ms);

/** Polls `cond` every 10 ms until true or `timeout` ms passed; returns the last value. */
export async function waitFor(cond: () => boolean, timeout: number): Promise<boolean> {
  const until = performance.now() + timeout;
  while (!cond()) {
    if (performance.now() > until) return false;
    await sleep(10);
  }
  return true;
}

export interface Tally {
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
}

/** How the numbered lines received differ from exactly 1..n, once each. */
export function tally(lines: readonly string[], n: number): Tally {
  const seen = new Uint8Array(n + 1);
  let duplicated = 0;
  let unexpected = 0;
  for (const line of lines) {
    const k = Number.parseInt(line, 10);
    if (!(k >= 1 && k <= n) || !line.startsWith(`${k} `)) unexpected += 1;
    else if (seen[k] === 1) duplicated += 1;
    else seen[k] = 1;
  }
  let lost = 0;
  for (let k = 1; k <= n; k++) if (seen[k] === 0) lost += 1;
  return { lost, duplicated, unexpected };
}

/**
 * The writer process: prints "ready" once the file is open, then appends lines "1 ...", "2 ...",
 * ... up to `count` (each its own write, O_APPEND), prints "done <count>" and exits. On SIGHUP
 * it reopens `path` (creating it) after `reopenDelay` ms, writing on to the old file until
 * then, like a server told to reopen its logs.
 */
function runWriter(path: string, count: number, rate: number, reopenDelay: number): void {
  const padding = ' - - [11/Jun/2024:10:00:00 +0000] "GET /api/item HTTP/1.1" 200 512';
  let fd = openSync(path, 'a');
  let written = 0;
  process.on('SIGHUP', () => {
    setTimeout(() => {
      closeSync(fd);
      fd = openSync(path, 'a');
    }, reopenDelay);
  });
  process.stdout.write('ready\n');
  const startedAt = performance.now();
  const timer = setInterval(() => {
    const due = Math.min(count, Math.floor(((performance.now() - startedAt) / 1000) * rate));
    while (written < due) {
      written += 1;
      writeSync(fd, `${written}${padding}\n`);
    }
    if (written >= count) {
      clearInterval(timer);
      closeSync(fd);
      process.stdout.write(`done ${written}\n`);
      process.exit(0);
    }
  }, 2);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [path = '', count = '1000', rate = '2000', reopenDelay = '0'] = process.argv.slice(2);
  runWriter(path, Number(count), Number(rate), Number(reopenDelay));
}
