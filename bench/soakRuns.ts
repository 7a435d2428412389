/**
 * The soak's run recorder: starts the real CLI (`node bin/apachescan.js`), keeps each run's NDJSON
 * stdout and stderr, sends it signals, and samples the running process's RSS and open descriptors
 * from /proc every second (from 2 s after its start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface RunRecord {
  readonly index: number;
  readonly pid: number;
  stdout: string;
  stderr: string;
  /** How it ended: `exit 0`, `SIGKILL`, ... ('' while running). */
  end: string;
  /** Why it was started: `start`, `after kill`, ... */
  readonly cause: string;
  /** performance.now() at its start. */
  readonly started: number;
  /** Whether the soak sent it SIGTERM or SIGKILL (else its end was its own). */
  signalled: boolean;
}

export interface Samples {
  rssMin: number;
  rssMax: number;
  fdsMin: number;
  fdsMax: number;
  count: number;
  /** Every sample: seconds since the recorder was made, RSS in MB, open descriptors. */
  readonly series: { t: number; rss: number; fds: number }[];
  /** For each stats event output: seconds from its interval's end (wall clock) to its arrival here. */
  readonly delays: number[];
}

export class RunRecorder {
  readonly runs: RunRecord[] = [];
  readonly samples: Samples = { rssMin: Infinity, rssMax: 0, fdsMin: Infinity, fdsMax: 0, count: 0, series: [], delays: [] };
  private readonly t0 = performance.now();
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private sampler: NodeJS.Timeout | undefined;
  /** Called when a run ends without being told to (a crash, an exit of its own). */
  onUnasked: ((run: RunRecord) => void) | undefined;

  constructor(
    private readonly bin: string,
    private readonly args: readonly string[],
  ) {}

  /** The running process, if any. */
  get running(): RunRecord | undefined {
    const last = this.runs.at(-1);
    return last !== undefined && last.end === '' ? last : undefined;
  }

  start(cause: string): RunRecord {
    if (this.running !== undefined) throw new Error('a run is already running');
    const child = spawn(process.execPath, [this.bin, ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const record: RunRecord = {
      index: this.runs.length + 1,
      pid: child.pid ?? -1,
      stdout: '',
      stderr: '',
      end: '',
      cause,
      started: performance.now(),
      signalled: false,
    };
    this.runs.push(record);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const from = record.stdout.length;
      record.stdout += chunk;
      this.delaysOf(record.stdout, from);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (record.stderr += chunk));
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        record.end = signal !== null ? signal : `exit ${code}`;
        resolve();
        if (!record.signalled) this.onUnasked?.(record);
      });
    });
    this.sampler ??= setInterval(() => this.sample(), 1000);
    return record;
  }

  /** Sends a signal to the running process, if any. */
  signal(signal: NodeJS.Signals): void {
    const run = this.running;
    if (run === undefined) return;
    if (signal === 'SIGTERM' || signal === 'SIGKILL') run.signalled = true;
    this.child?.kill(signal);
  }

  /** Resolves when the running process has exited, or after `ms` (false then). */
  async waitExit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    return done;
  }

  /** Stops sampling. */
  close(): void {
    clearInterval(this.sampler);
  }

  /** Notes the delay of each stats line completed by the text appended at `from`. */
  private delaysOf(stdout: string, from: number): void {
    const now = Date.now();
    let start = stdout.lastIndexOf('\n', from - 1) + 1;
    for (let nl = stdout.indexOf('\n', from); nl !== -1; nl = stdout.indexOf('\n', start)) {
      const end = /^\{"type":"stats","start":"[^"]+","end":"([^"]+)"/.exec(stdout.slice(start, Math.min(nl, start + 80)));
      if (end !== null) this.samples.delays.push((now - Date.parse(end[1]!)) / 1000);
      start = nl + 1;
    }
  }

  private sample(): void {
    const run = this.running;
    // The first 2 s of a run are Node starting, not the follower's steady state.
    if (run === undefined || performance.now() - run.started < 2000) return;
    try {
      const status = readFileSync(`/proc/${run.pid}/status`, 'utf8');
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
      const fds = readdirSync(`/proc/${run.pid}/fd`).length;
      if (!(rss > 0)) return;
      const s = this.samples;
      s.rssMin = Math.min(s.rssMin, rss);
      s.rssMax = Math.max(s.rssMax, rss);
      s.fdsMin = Math.min(s.fdsMin, fds);
      s.fdsMax = Math.max(s.fdsMax, fds);
      s.count++;
      s.series.push({ t: (performance.now() - this.t0) / 1000, rss, fds });
    } catch {
      // exited between the check and the read
    }
  }
}
