/**
 * Law: replaying a file with `--once` gives the same intervals, alerts and summary as following
 * it (no `--once`) while it is written, in random-size appends that cut lines and characters
 * anywhere (5 to 30 of them), at random speeds. The real CLI, as child processes, on real files;
 * a handful of seeds (each about 1-3 s).
 *
 * Follow mode runs with `--no-checkpoint` (SIGINT then closes the open windows, as the end of a
 * replay does) and an idle timeout far longer than the test, so that only the data moves the
 * watermark. The log ends with a line dated `lateness + interval` after the newest one: reading
 * it closes at least one window, so once the follower has printed every event that does not
 * wait for the end of input, it has read the whole file and can be stopped.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NEVER, concat, from } from 'rxjs';
import { monitor } from '../../src/engine/monitor.js';
import type { MonitorEvent } from '../../src/types.js';
import { generateLog, formatStamp, type TrafficPhase } from '../../bench/generateLog.js';
import { Random } from '../../bench/prng.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';

const SEEDS = [11, 22, 33, 44];

const dir = mkdtempSync(join(tmpdir(), 'apachescan-laws-follow-'));
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Scenario {
  readonly text: string;
  readonly args: string[];
  readonly options: { interval: number; lateness: number; alertWindow: number; threshold: number; top: number };
  /** Append sizes (bytes) and the pause before each append (ms). */
  readonly appends: ReadonlyArray<readonly [number, number]>;
}

/** A log with quiet, normal and burst phases and every kind of fault, options and a write schedule. */
function scenario(seed: number): Scenario {
  const random = new Random(seed, 7);
  const phases: TrafficPhase[] = [];
  for (let i = 0, n = random.int(4, 7); i < n; i++) {
    phases.push({ seconds: random.int(20, 90), rate: random.pick([0, 2, 5, 8, 25, 40]) });
  }
  const lines = [
    ...generateLog({
      lines: 6000,
      seed,
      start: Date.UTC(2025, 5, 1, random.int(0, 23)),
      phases,
      disorder: 0.05,
      late: 0.005,
      malformed: 0.01,
      common: 0.2,
      altZone: 0.1,
      altZoneMinutes: random.pick([-300, 60, 330]),
    }),
  ];
  const interval = random.pick([1, 2, 5, 10]);
  const lateness = random.pick([0, 2, 10, 30]);
  const alertWindow = interval * random.int(2, 6);
  const threshold = random.pick([6, 10, 15]);
  // The closing line, dated `lateness + interval` after the newest line (see the module comment).
  const newest = Math.max(...lines.map(timeOf).filter((t) => !Number.isNaN(t)));
  lines.push(`192.0.2.99 - - [${formatStamp(newest / 1000 + lateness + interval, 0)}] "GET /end HTTP/1.1" 200 1 "-" "closing line"`);
  const text = lines.map((l) => `${l}\n`).join('');
  const size = Buffer.byteLength(text);
  const appends: Array<readonly [number, number]> = [];
  let left = size;
  for (let i = 0, n = random.int(5, 30); i < n && left > 0; i++) {
    const bytes = i === n - 1 ? left : random.int(1, Math.ceil((2 * left) / (n - i)));
    appends.push([Math.min(bytes, left), random.pick([0, 0, 5, 20, 60, 250])]);
    left -= Math.min(bytes, left);
  }
  if (left > 0) appends.push([left, 0]);
  const seconds = { interval, lateness, alertWindow, threshold, top: 10 };
  const args = Object.entries(seconds).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v)]);
  return {
    text,
    args,
    options: { interval: interval * 1000, lateness: lateness * 1000, alertWindow: alertWindow * 1000, threshold, top: 10 },
    appends,
  };
}

const MONTH = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 } as const;

/** Event time of a generated line (NaN for a malformed one), for placing the closing line. */
function timeOf(line: string): number {
  const m = /\[(\d\d)\/(\w\w\w)\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\]/.exec(line);
  if (m === null) return NaN;
  const [, d, mon, y, h, mi, s, sign, oh, om] = m;
  const offset = (Number(oh) * 60 + Number(om)) * (sign === '+' ? 1 : -1);
  return Date.UTC(Number(y), MONTH[mon as keyof typeof MONTH], Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
}

/** How many events the engine emits before the end of input (what follow mode prints before SIGINT). */
function eventsBeforeEnd(text: string, options: Scenario['options']): number {
  const seen: MonitorEvent[] = [];
  const lines = text.split('\n');
  const sub = monitor(concat(from(lines), NEVER), options).subscribe((e) => seen.push(e));
  sub.unsubscribe();
  return seen.length;
}

/** `apachescan FILE --json ...` in follow mode; resolves its stdout lines after SIGINT. */
function follow(path: string, args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, path, '--json', '--no-checkpoint', '--idle-timeout', '100000', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const lines = () => stdout.split('\n').slice(0, -1);
  return {
    lines,
    stderr: () => stderr,
    async waitForLines(n: number, timeoutMs: number): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (lines().length < n) {
        if (Date.now() > deadline) throw new Error(`follower printed ${lines().length} of ${n} events; stderr: ${stderr}`);
        if (child.exitCode !== null) throw new Error(`follower exited early (${child.exitCode}); stderr: ${stderr}`);
        await sleep(20);
      }
    },
    async interrupt(): Promise<number | null> {
      child.kill('SIGINT');
      return exit;
    },
  };
}

for (const seed of SEEDS) {
  test(`seed ${seed}: --once and follow mode (appends of any size, at any speed) print the same events`, { timeout: 60_000 }, async (t) => {
    const s = scenario(seed);
    const path = join(dir, `follow-${seed}.log`);
    const bytes = Buffer.from(s.text);
    const startWithData = seed % 2 === 0;
    let offset = 0;
    writeFileSync(path, startWithData ? bytes.subarray(0, (offset = s.appends[0]?.[0] ?? 0)) : '');
    const follower = follow(path, s.args);
    for (const [size, pause] of s.appends.slice(startWithData ? 1 : 0)) {
      await sleep(pause);
      appendFileSync(path, bytes.subarray(offset, offset + size));
      offset += size;
    }
    assert.equal(offset, bytes.length);
    const beforeEnd = eventsBeforeEnd(s.text, s.options);
    await follower.waitForLines(beforeEnd, 20_000);
    const printedBeforeStop = follower.lines();
    assert.equal(await follower.interrupt(), 0, follower.stderr());
    const followed = follower.lines();

    const once = await runCli([path, '--once', '--json', ...s.args]);
    assert.equal(once.code, 0, once.stderr);
    const replayed = once.stdout.split('\n').slice(0, -1);

    assert.deepEqual(printedBeforeStop, replayed.slice(0, beforeEnd), 'follow mode prints each event as it becomes final, in replay order');
    assert.deepEqual(followed, replayed);
    const types = replayed.map((l) => JSON.parse(l) as { type: string; state?: string });
    const alerts = types.filter((e) => e.type === 'alert').length;
    const summary = types.at(-1);
    t.diagnostic(
      `${s.args.join(' ')}: ${replayed.length} events, ${alerts} alert transitions, ${s.appends.length} appends; ${JSON.stringify(summary)}`,
    );
    assert.equal(summary?.type, 'summary');
  });
}
