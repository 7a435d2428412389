/**
 * The soak's writer: numbered Common Log Format lines into several files at a steady total rate,
 * dated now. A line's response bytes are its number, so a sum of bytes names what is missing.
 * Like a web server it keeps each file open (O_APPEND) and reopens it when told (after a
 * rotation by rename, as `apache2ctl graceful` would).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { LineSum } from './soakOracle.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Apache's `%t` of a time in ms, in UTC. */
export function apacheTime(ms: number): string {
  const d = new Date(ms);
  const date = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  return `[${date}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
}

/** The line numbered `n` (from 1) for file `file`, dated `ms`. */
export function soakLine(n: number, file: number, ms: number): string {
  return `10.${file}.${(n >> 8) & 255}.${n & 255} - - ${apacheTime(ms)} "GET /f${file}/p${n % 7} HTTP/1.1" 200 ${n}\n`;
}

/** The start of the interval holding time `ms`, as the NDJSON output writes it. */
export function intervalStart(ms: number, intervalSeconds: number): string {
  const step = intervalSeconds * 1000;
  return new Date(Math.floor(ms / step) * step).toISOString().replace('.000Z', 'Z');
}

/** Adds one line to a per-interval tally. */
export function tally(into: Map<string, LineSum>, start: string, n: number): void {
  const sum = into.get(start);
  if (sum === undefined) into.set(start, { count: 1, sum: n });
  else {
    sum.count++;
    sum.sum += n;
  }
}

export class SoakWriter {
  /** Lines written, per interval start. */
  readonly written = new Map<string, LineSum>();
  private readonly fds: number[];
  private next = 1;
  private timer: NodeJS.Timeout | undefined;
  private started = 0;

  constructor(
    private readonly paths: readonly string[],
    private readonly rate: number,
    private readonly intervalSeconds: number,
  ) {
    this.fds = paths.map((path) => openSync(path, 'a'));
  }

  /** Number of lines written so far. */
  get lines(): number {
    return this.next - 1;
  }

  start(): void {
    this.started = performance.now();
    this.timer = setInterval(() => this.tick(), 20);
  }

  /** Closes and opens again every file by its name (after logrotate `create`). */
  reopen(): void {
    for (let i = 0; i < this.fds.length; i++) {
      closeSync(this.fds[i]!);
      this.fds[i] = openSync(this.paths[i]!, 'a');
    }
  }

  /** Stops writing (the lines due so far are written first) and closes the files. */
  stop(): void {
    clearInterval(this.timer);
    this.tick();
    for (const fd of this.fds) closeSync(fd);
  }

  private tick(): void {
    const due = Math.floor(((performance.now() - this.started) / 1000) * this.rate);
    if (due < this.next) return;
    const ms = Date.now();
    const start = intervalStart(ms, this.intervalSeconds);
    const chunks = this.paths.map(() => '');
    for (; this.next <= due; this.next++) {
      const file = this.next % this.paths.length;
      chunks[file] += soakLine(this.next, file, ms);
      tally(this.written, start, this.next);
    }
    chunks.forEach((chunk, file) => {
      if (chunk !== '') writeSync(this.fds[file]!, chunk);
    });
  }
}
