/**
 * Numbered Combined log lines with increasing event times, and a real writer child process
 * that appends them at a given rate (this same file, run as a script):
 *
 *   node logWriter.js '<WriterArgs as JSON>'
 *
 * Line k requests `/n<k>`, so with `--top` large enough every stats event lists the lines it
 * counted, one section each: a lost or duplicated line shows by name. The writer prints
 * `at <n>` about every 50 ms and `done <n>` when it is finished; on SIGHUP it reopens its path
 * (creating it) after `reopenDelay` ms, writing on to the old file until then, like a server
 * told to reopen its logs. (spec/helpers/writer.ts, the tailer's writer, writes one fixed
 * timestamp: right for the tailer, not for windows and alerts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE_LOADER_ARGS } from './paths.js';

/** Event times are seconds after this instant (2026-01-01T00:00:00Z), as in helpers/cli.ts. */
export const T0 = Date.UTC(2026, 0, 1);

/** Where event times come from. */
export type EventClock =
  /** The time of writing, like a real server. */
  | { readonly kind: 'wall' }
  /** Consecutive segments of `[seconds, lines per second]`, starting `start` s after T0. */
  | { readonly kind: 'profile'; readonly segments: ReadonlyArray<readonly [number, number]>; readonly start?: number };

export interface LogSpec {
  /** How many lines (numbered 1..count). */
  readonly count: number;
  readonly clock: EventClock;
  /** Seeds the out-of-order choice. */
  readonly seed?: number;
  /** This fraction of lines is dated 1..maxShift seconds early (profile clock only). */
  readonly outOfOrder?: { readonly fraction: number; readonly maxShift: number };
  /** Every `every`-th line is dated `shift` seconds early: late for any lateness below that. */
  readonly late?: { readonly every: number; readonly shift: number };
  /** Every `every`-th line is garbage (invalid). */
  readonly invalidEvery?: number;
}

export interface WriterArgs {
  readonly path: string;
  readonly spec: LogSpec;
  /** Lines per second of real time. */
  readonly rate: number;
  /** Delay of a reopen asked for with SIGHUP, ms. */
  readonly reopenDelay?: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Apache `%t` for ms since the epoch (UTC, whole seconds). */
export function apacheTime(ms: number): string {
  const t = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
}

/** Line k, dated `ms` (a pure function of both). */
export function numberedLine(k: number, ms: number, spec: Pick<LogSpec, 'invalidEvery'> = {}): string {
  if (spec.invalidEvery !== undefined && k % spec.invalidEvery === 0) return `garbage line ${k} [not a log line]`;
  const status = k % 101 === 0 ? 500 : k % 17 === 0 ? 404 : 200;
  const bytes = 100 + ((k * 7919) % 5000);
  return `10.0.${(k >> 5) & 7}.${k & 31} - - [${apacheTime(ms)}] "GET /n${k} HTTP/1.1" ${status} ${bytes} "-" "logWriter/1.0"`;
}

/** mulberry32: a small seeded PRNG with values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Event time (ms) of lines 1..count under a profile clock; index k - 1. */
export function profileTimes(spec: LogSpec): number[] {
  if (spec.clock.kind !== 'profile') throw new Error('profileTimes needs a profile clock');
  const times: number[] = [];
  let second = spec.clock.start ?? 0;
  for (const [seconds, perSecond] of spec.clock.segments) {
    for (let s = 0; s < seconds; s++, second++) for (let i = 0; i < perSecond; i++) times.push(T0 + second * 1000);
  }
  if (times.length < spec.count) throw new Error(`the profile dates ${times.length} lines, ${spec.count} asked for`);
  times.length = spec.count;
  const random = seededRandom(spec.seed ?? 1);
  for (let i = 0; i < times.length; i++) {
    const k = i + 1;
    const r = random();
    const s = random();
    if (spec.late !== undefined && k % spec.late.every === 0) times[i] = (times[i] as number) - spec.late.shift * 1000;
    else if (spec.outOfOrder !== undefined && r < spec.outOfOrder.fraction) {
      times[i] = (times[i] as number) - (1 + Math.floor(s * spec.outOfOrder.maxShift)) * 1000;
    }
  }
  return times;
}

/** All lines of a profile-clock log, without newlines. */
export function generateLog(spec: LogSpec): string[] {
  return profileTimes(spec).map((ms, i) => numberedLine(i + 1, ms, spec));
}

export interface LogWriter {
  readonly pid: number;
  /** Lines written so far, as last reported (about every 50 ms). */
  written(): number;
  /** Resolves with the number of lines written once the writer has exited normally. */
  readonly done: Promise<number>;
  /** SIGHUP: reopen the path after `reopenDelay`. */
  reopen(): void;
  /** SIGSTOP, returning once the process is stopped. */
  pause(): Promise<void>;
  /** SIGCONT. */
  resume(): void;
  kill(): void;
}

const script = fileURLToPath(import.meta.url);
const running = new Set<ChildProcess>();

/** Starts a writer process appending `args.spec.count` lines to `args.path` at `args.rate` lines/s. */
export function startLogWriter(args: WriterArgs): LogWriter {
  const child = spawn(process.execPath, [...NODE_LOADER_ARGS, script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  let written = 0;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    const all = [...out.matchAll(/(?:at|done) (\d+)\n/g)];
    const last = all.at(-1);
    if (last !== undefined) written = Number(last[1]);
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<number>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      const m = /done (\d+)/.exec(out);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`log writer exited with ${code ?? signal}: ${err.trim()}`));
    });
  });
  done.catch(() => undefined); // reported to whoever awaits it
  const pid = child.pid ?? -1;
  const signal = (s: NodeJS.Signals) => (): void => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, s);
  };
  return {
    pid,
    written: () => written,
    done,
    reopen: signal('SIGHUP'),
    pause: async () => {
      signal('SIGSTOP')();
      const until = performance.now() + 2000;
      while (processState(pid) !== 'T' && child.exitCode === null && performance.now() < until) await new Promise((r) => setTimeout(r, 1));
    },
    resume: signal('SIGCONT'),
    kill: signal('SIGKILL'),
  };
}

/** Kills writers still running (after a failed test), by PID. */
export function killLogWriters(): void {
  for (const child of running) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  running.clear();
}

/** The state letter in /proc/<pid>/stat ('R', 'S', 'T'...), '?' when gone. */
export function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '?';
  }
}

/** The writer process itself. */
function runWriter(args: WriterArgs): void {
  const { path, spec, rate, reopenDelay = 0 } = args;
  const times = spec.clock.kind === 'profile' ? profileTimes(spec) : undefined;
  let fd = openSync(path, 'a');
  let written = 0;
  let lastReport = 0;
  const startedAt = performance.now();
  process.on('SIGHUP', () => {
    setTimeout(() => {
      closeSync(fd);
      fd = openSync(path, 'a');
    }, reopenDelay);
  });
  const timer = setInterval(() => {
    const now = performance.now();
    const due = Math.min(spec.count, Math.floor(((now - startedAt) / 1000) * rate));
    let text = '';
    while (written < due) {
      written += 1;
      text += `${numberedLine(written, times === undefined ? Date.now() : (times[written - 1] as number), spec)}\n`;
    }
    if (text !== '') writeSync(fd, text);
    if (now - lastReport >= 50) {
      lastReport = now;
      process.stdout.write(`at ${written}\n`);
    }
    if (written >= spec.count) {
      clearInterval(timer);
      closeSync(fd);
      process.stdout.write(`done ${written}\n`, () => process.exit(0));
    }
  }, 2);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runWriter(JSON.parse(process.argv[2] ?? '{}') as WriterArgs);
}
