/**
 * Reader lag of the file tailer under load: a writer process appends timestamped lines at a
 * fixed rate while `tailFile` follows the file in this process; every line's lag is the time
 * from its write to its arrival here. With `--truncate-every`, the file is also truncated in
 * place (as `truncate -s 0` or the second half of copytruncate) and the lines written but not
 * read before each truncation are counted: they are gone for any reader.
 *
 *   npm run bench:lag -- [--rates 1000,10000,50000] [--seconds S] [--truncate-every MS] [--stress N]
 *                        [--line-per-write] [--wake-interval MS]
 *
 * Prints figures only, no verdict. `--stress N` runs `stress-ng --cpu N` beside the
 * measurement (stopped by PID afterwards), to see the lag on a busy machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { tailFile } from '../src/source/tailFile.js';

const USAGE = `usage: npm run bench:lag -- [--rates R1,R2,...] [--seconds S] [--truncate-every MS] [--stress N]
  --rates           lines per second written, one run each (default 1000,10000,50000)
  --seconds         seconds of writing per run (default 5)
  --truncate-every  truncate the file in place every MS ms and count the lines lost (default: never)
  --stress          run stress-ng --cpu N beside the runs (default: none)
  --line-per-write  one write() per line (Apache's default), not all the lines due at once
  --wake-interval   the tailer's least ms between two reads (default: tailFile's, 5)`;

/** The writer: appends `seq wallMs padding\n` lines through an O_APPEND descriptor, as a server does. */
const WRITER = `
const fs = require('node:fs');
const [path, rate, seconds, perLine] = process.argv.slice(1).map((a, i) => (i === 0 ? a : Number(a)));
const fd = fs.openSync(path, 'a');
const pad = 'x'.repeat(150);
const start = performance.now();
let seq = 0;
const total = rate * seconds;
const tick = () => {
  const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
  let chunk = '';
  while (seq < due) {
    chunk += ++seq + ' ' + (performance.timeOrigin + performance.now()).toFixed(3) + ' ' + pad + '\\n';
    if (perLine === 1) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  if (chunk !== '') fs.writeSync(fd, chunk);
  if (seq < total) setImmediate(tick);
  else process.stdout.write(String(seq));
};
tick();
`;

const WELL_FORMED = /^\d+ \d+\.\d{3} x{150}$/;

export interface RunResult {
  readonly rate: number;
  readonly written: number;
  readonly read: number;
  readonly lags: Float64Array;
  readonly truncations: number;
  readonly lostPerTruncation: number[];
  /** CPU time of this process (the reader) while the writer ran, in % of one core. */
  readonly readerCpu: number;
}

/** One run: `perLine`, one write() per line (Apache's default), else all the lines due at each tick in one write. */
export async function measureRate(
  rate: number,
  seconds: number,
  truncateEvery: number | undefined,
  _perLine = false,
  wakeInterval?: number,
): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-lag-'));
  const path = join(dir, 'access.log');
  writeFileSync(path, '');
  const lags: number[] = [];
  const seen = new Uint8Array(rate * seconds + 1);
  let maxSeq = 0;
  const sub = tailFile(path, wakeInterval === undefined ? {} : { wakeInterval }).subscribe((chunk) => {
    const now = performance.timeOrigin + performance.now();
    for (const line of chunk.lines) {
      // A line cut by a truncation while it was written is no measurement.
      if (!WELL_FORMED.test(line)) continue;
      const space = line.indexOf(' ');
      const seq = Number(line.slice(0, space));
      lags.push(now - Number(line.slice(space + 1, line.indexOf(' ', space + 1))));
      if (seq < seen.length) seen[seq] = 1;
      if (seq > maxSeq) maxSeq = seq;
    }
  });
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const writer = spawn(process.execPath, ['-e', WRITER, path, String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  writer.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const lostPerTruncation: number[] = [];
  /** For each truncation, the last line written before it. */
  const pendingChecks: number[] = [];
  let truncator: NodeJS.Timeout | undefined;
  if (truncateEvery !== undefined) {
    truncator = setInterval(() => {
      // Lines already written when the file is cut: those not read by now are lost.
      const writtenBefore = highestWritten(path);
      truncateSync(path, 0);
      if (writtenBefore > 0) pendingChecks.push(writtenBefore);
    }, truncateEvery);
  }
  const written = await new Promise<number>((resolve, reject) => {
    writer.on('error', reject);
    writer.on('close', () => resolve(Number(out)));
  });
  if (truncator !== undefined) clearInterval(truncator);
  const cpu = process.cpuUsage(cpuBefore);
  const readerCpu = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100;
  // Let the reader finish what is on disk (bounded: 3 s after the writer stopped).
  const until = performance.now() + 3000;
  while (performance.now() < until && countSeen(seen) < written - lostSoFar(seen, pendingChecks)) await delay(20);
  await delay(300);
  sub.unsubscribe();
  rmSync(dir, { recursive: true, force: true });
  let previous = 0;
  for (const upTo of pendingChecks) {
    let lost = 0;
    for (let s = previous + 1; s <= upTo; s++) if (seen[s] === 0) lost++;
    lostPerTruncation.push(lost);
    previous = upTo;
  }
  return {
    rate,
    written,
    read: countSeen(seen),
    lags: Float64Array.from(lags).sort(),
    truncations: pendingChecks.length,
    lostPerTruncation,
    readerCpu,
  };
}

/** The highest sequence number in the file now (its last complete line). */
function highestWritten(path: string): number {
  const text = readFileSync(path, 'latin1');
  const end = text.lastIndexOf('\n');
  if (end < 0) return 0;
  const start = text.lastIndexOf('\n', end - 1) + 1;
  return Number(text.slice(start, text.indexOf(' ', start)));
}

function countSeen(seen: Uint8Array): number {
  let n = 0;
  for (const s of seen) n += s;
  return n;
}

function lostSoFar(seen: Uint8Array, checks: readonly number[]): number {
  const upTo = checks.at(-1) ?? 0;
  let lost = 0;
  for (let s = 1; s <= upTo; s++) if (seen[s] === 0) lost++;
  return lost;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const percentile = (sorted: Float64Array, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call that assigns it
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rates: { type: 'string' },
        seconds: { type: 'string' },
        'truncate-every': { type: 'string' },
        stress: { type: 'string' },
        'line-per-write': { type: 'boolean' },
        'wake-interval': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`bench:lag: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const rates = (values.rates ?? '1000,10000,50000').split(',').map(Number);
  const seconds = Number(values.seconds ?? '5');
  const truncateEvery = values['truncate-every'] === undefined ? undefined : Number(values['truncate-every']);
  const stress = values.stress === undefined ? undefined : Number(values.stress);
  const wakeInterval = values['wake-interval'] === undefined ? undefined : Number(values['wake-interval']);
  if (wakeInterval !== undefined && !(wakeInterval >= 0)) {
    process.stderr.write(`bench:lag: bad numbers\n${USAGE}\n`);
    return 2;
  }
  if (
    rates.some((r) => !(r > 0)) ||
    !(seconds > 0) ||
    (truncateEvery !== undefined && !(truncateEvery > 0)) ||
    (stress !== undefined && !(stress > 0))
  ) {
    process.stderr.write(`bench:lag: bad numbers\n${USAGE}\n`);
    return 2;
  }
  let stressor: ChildProcess | undefined;
  if (stress !== undefined) {
    stressor = spawn('stress-ng', ['--cpu', String(stress), '--quiet'], { stdio: 'ignore' });
    stressor.on('error', (err) => process.stderr.write(`bench:lag: stress-ng: ${err.message}\n`));
    await delay(500);
  }
  try {
    const how = `${values['line-per-write'] === true ? ', one write per line' : ''}${wakeInterval === undefined ? '' : `, wake interval ${wakeInterval} ms`}`;
    process.stdout.write(
      `reader lag of tailFile, ${seconds} s per rate${how}${stress === undefined ? '' : `, beside stress-ng --cpu ${stress}`}${truncateEvery === undefined ? '' : `, truncated every ${truncateEvery} ms`}\n`,
    );
    process.stdout.write(
      `lines/s   written      read   lag p50    p95    p99    max (ms)  reader CPU${truncateEvery === undefined ? '' : '   truncations  lost per truncation (median / max)'}\n`,
    );
    for (const rate of rates) {
      const r = await measureRate(rate, seconds, truncateEvery, values['line-per-write'] === true, wakeInterval);
      const ms = (x: number): string => x.toFixed(1).padStart(6);
      let line = `${String(rate).padStart(7)} ${String(r.written).padStart(9)} ${String(r.read).padStart(9)}  ${ms(percentile(r.lags, 50))} ${ms(percentile(r.lags, 95))} ${ms(percentile(r.lags, 99))} ${ms(r.lags.at(-1) ?? NaN)}  ${r.readerCpu.toFixed(0).padStart(8)} %`;
      if (truncateEvery !== undefined) {
        const lost = [...r.lostPerTruncation].sort((a, b) => a - b);
        line += `   ${String(r.truncations).padStart(11)}  ${lost[Math.floor(lost.length / 2)] ?? 0} / ${lost.at(-1) ?? 0}`;
      }
      process.stdout.write(`${line}\n`);
    }
  } finally {
    if (stressor?.pid !== undefined && stressor.exitCode === null) process.kill(stressor.pid, 'SIGTERM');
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
