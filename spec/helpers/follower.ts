/**
 * The real CLI in follow mode as a child process: stdout is collected line by line as it
 * arrives (NDJSON parsed, arrival times kept), conditions are polled with a timeout that
 * fails with what was seen so far, and the process is stopped by PID (SIGINT, SIGTERM or
 * SIGKILL). `stopFollowers()` in an `after` hook kills whatever a failed test left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { BIN, ROOT } from './cli.js';
import { sleep } from './sleep.js';
import { removeTempDirs, tempDir } from './tempDir.js';

export type Event = Record<string, unknown>;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Follower {
  readonly pid: number;
  /** Complete stdout lines, in order. */
  readonly lines: string[];
  /** `Date.now()` when each line arrived (same index as `lines`). */
  readonly arrivals: number[];
  /** Lines parsed as JSON (lines that are not JSON are skipped: text mode). */
  readonly events: Event[];
  /** Arrival time of each event (same index as `events`). */
  readonly eventArrivals: number[];
  /** Bytes after the last newline (non-empty only if the process died mid-line). */
  partial(): string;
  stderr(): string;
  /** Settles when the process has exited (and its output is all read). */
  readonly exit: Promise<Exit>;
  exited(): boolean;
  /** Polls `cond` every 10 ms; rejects after `timeoutMs` with `what` and the output so far. */
  waitFor(what: string, cond: () => boolean, timeoutMs?: number): Promise<void>;
  /** Sends `signal` by PID, reads the rest of stdout and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
  /** Starts reading stdout (see the `paused` option). */
  resume(): void;
}

export interface FollowerOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Do not read stdout until `resume()`: a reader that has fallen behind (the pipe fills up). */
  readonly paused?: boolean;
}

const running = new Set<ChildProcess>();
/**
 * Starts `apachescan ...args`. XDG_STATE_HOME points to a fresh temp folder unless `env`
 * sets it, so a default checkpoint never lands in the real home.
 */
export function startFollower(args: readonly string[], options: FollowerOptions = {}): Follower {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: tempDir('apachescan-state-'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: string[] = [];
  const arrivals: number[] = [];
  const events: Event[] = [];
  const eventArrivals: number[] = [];
  let rest = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const now = Date.now();
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      arrivals.push(now);
      if (line.startsWith('{')) {
        events.push(JSON.parse(line) as Event);
        eventArrivals.push(now);
      }
    }
  });
  if (options.paused === true) child.stdout.pause();
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<Exit>((resolveExit, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal });
    });
  });
  const pid = child.pid ?? -1;
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const describe = (): string =>
    `apachescan ${args.join(' ')}\n  stdout (last 5 of ${lines.length} lines): ${lines.slice(-5).join('\n    ').slice(0, 2000)}\n  stderr: ${stderr.trim()}`;
  const follower: Follower = {
    pid,
    lines,
    arrivals,
    events,
    eventArrivals,
    partial: () => rest,
    stderr: () => stderr,
    exit,
    exited,
    waitFor: async (what, cond, timeoutMs = 20_000) => {
      const started = performance.now();
      while (!cond()) {
        if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${describe()}`);
        if (exited() && !cond()) {
          await exit;
          if (cond()) return;
          throw new Error(`apachescan exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}\n${describe()}`);
        }
        await sleep(10);
      }
    },
    stop: async (signal = 'SIGINT', timeoutMs = 15_000) => {
      if (!exited()) process.kill(pid, signal);
      child.stdout.resume(); // all of its output, if it was paused
      const timer = setTimeout(() => {
        if (!exited()) process.kill(pid, 'SIGKILL');
      }, timeoutMs);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
    resume: () => void child.stdout.resume(),
  };
  return follower;
}

/** Kills (SIGKILL, by PID) every follower still running and removes the temp folders. */
export function stopFollowers(): void {
  for (const child of running) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  }
  running.clear();
  removeTempDirs();
}

/**
 * Whether process `pid` is following `path`: holds it open and watches a directory (read from
 * /proc/<pid>/fd). The watch is set up before the tailer opens the file, after the CLI's
 * start-up check, which opens the file for an instant too: that open alone does not count.
 */
export function hasOpen(pid: number, path: string): boolean {
  const target = resolve(path);
  try {
    const links = readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
    return links.includes(target) && links.includes('anon_inode:inotify');
  } catch {
    return false;
  }
}

/** Polls `cond` every 10 ms; rejects after `timeoutMs` with `what` (and `detail()` if given). */
export async function waitUntil(what: string, cond: () => boolean, timeoutMs = 20_000, detail?: () => string): Promise<void> {
  const started = performance.now();
  while (!cond()) {
    if (performance.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await sleep(10);
  }
}

/** The stats events of a run. */
export function statsOf(events: readonly Event[]): Event[] {
  return events.filter((e) => e['type'] === 'stats');
}

/** The alert events of a run. */
export function alertsOf(events: readonly Event[]): Event[] {
  return events.filter((e) => e['type'] === 'alert');
}

/** Sum of `hits` over the stats events. */
export function totalHits(events: readonly Event[]): number {
  return statsOf(events).reduce((n, e) => n + (e['hits'] as number), 0);
}

/**
 * How the sections `/n<k>` listed in stats events (one per line of logWriter, `--top` large)
 * differ from exactly 1..n once each; lines for which `absent(k)` holds (invalid or late
 * lines, in no window) must not appear at all.
 */
export function tallySections(
  events: readonly Event[],
  n: number,
  absent: (k: number) => boolean = () => false,
): { lost: number; duplicated: number; unexpected: number } {
  const seen = new Uint32Array(n + 1);
  let unexpected = 0;
  for (const e of statsOf(events)) {
    for (const { name, hits } of e['sections'] as Array<{ name: string; hits: number }>) {
      const k = /^\/n(\d+)$/.exec(name) ? Number(name.slice(2)) : NaN;
      if (!(k >= 1 && k <= n)) unexpected += hits;
      else seen[k] = (seen[k] as number) + hits;
    }
  }
  let lost = 0;
  let duplicated = 0;
  for (let k = 1; k <= n; k++) {
    const c = seen[k] as number;
    const expected = absent(k) ? 0 : 1;
    if (c < expected) lost += 1;
    else duplicated += c - expected;
  }
  return { lost, duplicated, unexpected };
}
