/**
 * The soak: the real CLI follows several files for N minutes while a writer appends numbered
 * lines and faults land (logrotate create/compress/delaycompress and copytruncate, kill -9, kill
 * -9 with a rotation while down, SIGSTOP/SIGCONT, SIGTERM, a full checkpoint disk). At the end
 * every interval of every run is compared with `--once` over everything on disk, and every line
 * written with what was counted. Prints one table; exits 1 when an interval is missing,
 * duplicated or different or a line still on disk was lost, 2 on a usage error.
 *
 *   npm run soak -- --minutes N [--files K] [--rate R] [--seed S] [--faults rotate,copytruncate,kill,stop,term,disk]
 *
 * Not part of `npm test`. The parts: soakWriter (lines), soakRotate (logrotate), soakDisk (the
 * tmpfs), soakRuns (the CLI processes), soakFaults (the schedule), soakLogFiles (what is on disk),
 * soakOracle (the comparison, pure), soakTable (the table).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmallDisk } from './soakDisk.js';
import { FaultScheduler, FAULTS, type Fault } from './soakFaults.js';
import { scanLogs } from './soakLogFiles.js';
import { intervalOf, judge, type Interval } from './soakOracle.js';
import { logrotateInstalled, Rotator } from './soakRotate.js';
import { RunRecorder } from './soakRuns.js';
import { soakTable } from './soakTable.js';
import { SoakWriter } from './soakWriter.js';

const USAGE = `usage: npm run soak -- --minutes N [--files K] [--rate R] [--seed S] [--faults LIST] [--interval S] [--drop-run N] [--keep]
  --minutes   minutes of writing and faults (default 10)
  --files     log files written and followed together (default 3)
  --rate      lines per second written, over all files (default 1000)
  --seed      seed of the fault schedule (default 1)
  --faults    comma-separated among ${FAULTS.join(',')} (default all)
  --interval  the CLI's --interval (default 10)
  --drop-run  leave run N's output out of the comparison (to see the soak fail)
  --keep      keep the temp folder (it is kept anyway when the soak fails)`;

function usage(message: string): never {
  process.stderr.write(`soak: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, value: string | undefined, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || (integer && !Number.isInteger(n))) {
    usage(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return n;
}

function options() {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call that assigns it
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        minutes: { type: 'string' },
        files: { type: 'string' },
        rate: { type: 'string' },
        seed: { type: 'string' },
        faults: { type: 'string' },
        interval: { type: 'string' },
        'drop-run': { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const faults = (values.faults ?? FAULTS.join(',')).split(',').filter((f) => f !== '');
  for (const f of faults) if (!(FAULTS as readonly string[]).includes(f)) usage(`unknown fault ${f}`);
  return {
    minutes: positive('minutes', values.minutes, 10, false),
    files: positive('files', values.files, 3),
    rate: positive('rate', values.rate, 1000),
    seed: values.seed === undefined ? 1 : positive('seed', values.seed, 1),
    faults: faults as Fault[],
    interval: positive('interval', values.interval, 10),
    dropRun: values['drop-run'] === undefined ? undefined : positive('drop-run', values['drop-run'], 1),
    keep: values.keep === true,
  };
}

/** The stats events of a run's NDJSON (a line cut by kill -9 is left out and counted). */
function intervalsOf(ndjson: string): { intervals: Interval[]; cut: number } {
  const intervals: Interval[] = [];
  let cut = 0;
  for (const line of ndjson.split('\n')) {
    if (line === '') continue;
    try {
      const interval = intervalOf(JSON.parse(line));
      if (interval !== undefined) intervals.push(interval);
    } catch {
      cut++;
    }
  }
  return { intervals, cut };
}

function once(bin: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`--once failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

async function main(): Promise<void> {
  const opts = options();
  if (!logrotateInstalled()) usage('/usr/sbin/logrotate is not installed (apt-get install logrotate)');
  const bin = fileURLToPath(new URL('../../bin/apachescan.js', import.meta.url));
  const ws = mkdtempSync(join(tmpdir(), 'apachescan-soak-'));
  const logs = join(ws, 'logs');
  mkdirSync(logs);
  const t0 = performance.now();
  const log = (line: string): void => {
    process.stderr.write(`soak ${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s  ${line}\n`);
  };
  const skipped: string[] = [];
  let disk: SmallDisk | undefined;
  if (opts.faults.includes('disk')) {
    const mounted = SmallDisk.mount(join(ws, 'ckdisk'));
    if (typeof mounted === 'string') skipped.push(mounted);
    else disk = mounted;
  }
  for (const s of skipped) log(s);
  const checkpoint = join(disk?.dir ?? ws, 'checkpoint.json');
  const paths = Array.from({ length: opts.files }, (_, i) => join(logs, `site${i}.log`));
  for (const path of paths) writeFileSync(path, '');
  const interval = ['--interval', String(opts.interval)];
  const runs = new RunRecorder(bin, [join(logs, '*.log'), '--history', '--output', 'json', '--checkpoint', checkpoint, ...interval]);
  const writer = new SoakWriter(paths, opts.rate, opts.interval);
  const rotator = new Rotator(ws, paths);
  const scheduler = new FaultScheduler(opts.faults, opts.seed, { runs, writer, rotator, disk, log });
  log(`folder ${ws}; ${opts.files} files, ${opts.rate} lines/s, faults ${opts.faults.join(',') || 'none'}, ${opts.minutes} min`);
  // Ctrl-C: the follower is killed and the tmpfs unmounted, not left behind.
  process.once('SIGINT', () => {
    runs.signal('SIGCONT');
    runs.signal('SIGKILL');
    disk?.unmount();
    log(`interrupted; kept ${ws}`);
    process.exit(130);
  });
  // A run that ends unasked is a finding; the next one starts a second later.
  const unasked: string[] = [];
  runs.onUnasked = (run) => {
    unasked.push(`run ${run.index} ended unasked (${run.end}): ${run.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`);
    log(unasked.at(-1)!);
    setTimeout(() => runs.running ?? runs.start('after an unasked end'), 1000);
  };
  runs.start('start');
  writer.start();
  try {
    await scheduler.run(t0 + opts.minutes * 60_000);
    writer.stop();
    log(`writer stopped after ${writer.lines} lines`);
    // The final run: catch up, wait for the interval of the last line to close (idle time closes
    // it by the clock), then SIGTERM, which keeps only the empty windows after it open.
    runs.onUnasked = (run) => void unasked.push(`run ${run.index} ended unasked (${run.end})`);
    if (runs.running === undefined) runs.start('final');
    const last = [...writer.written.keys()].sort().at(-1) ?? '';
    const final = runs.running!;
    for (let i = 0; i < 600 && !intervalsOf(final.stdout).intervals.some((iv) => iv.start >= last); i++) await sleep(500);
    runs.signal('SIGTERM');
    if (!(await runs.waitExit(60_000))) {
      log('the final run did not end within 60 s of SIGTERM: SIGKILL');
      runs.signal('SIGKILL');
      await runs.waitExit(10_000);
    }
  } finally {
    runs.close();
    disk?.unmount();
  }
  log('reading everything on disk with --once --history');
  const onceOut = await once(bin, [join(logs, '*.log'), '--history', '--once', '--output', 'json', ...interval]);
  const onDisk = scanLogs(logs, writer.lines, opts.interval);
  const recorded = runs.runs.map((run) => intervalsOf(run.stdout));
  mkdirSync(join(ws, 'runs'));
  for (const run of runs.runs) {
    writeFileSync(join(ws, 'runs', `${run.index}.ndjson`), run.stdout);
    writeFileSync(join(ws, 'runs', `${run.index}.stderr`), run.stderr);
    const notes = run.stderr
      .trim()
      .split('\n')
      .filter((l) => l !== '').length;
    const first = run.stderr.trim().split('\n').slice(0, 2).join(' | ').slice(0, 300);
    const stderr = notes > 0 ? `, ${notes} stderr lines: ${first}` : '';
    log(`run ${run.index} (${run.cause}): ${recorded[run.index - 1]!.intervals.length} intervals, ended ${run.end}${stderr}`);
  }
  writeFileSync(join(ws, 'once.ndjson'), onceOut);
  const samples = runs.samples.series.map((s) => `${s.t.toFixed(1)},${s.rss.toFixed(1)},${s.fds}\n`);
  writeFileSync(join(ws, 'samples.csv'), `seconds,rss_mb,fds\n${samples.join('')}`);
  const verdict = judge({
    runs: recorded.filter((_, i) => i + 1 !== opts.dropRun).map((r) => r.intervals),
    once: intervalsOf(onceOut).intervals,
    written: writer.written,
    onDisk: onDisk.lines,
  });
  const cut = recorded.reduce((n, r) => n + r.cut, 0);
  if (cut > 0) log(`${cut} output lines cut (not JSON), left out`);
  if (opts.dropRun !== undefined) {
    const whole = judge({
      runs: recorded.map((r) => r.intervals),
      once: intervalsOf(onceOut).intervals,
      written: writer.written,
      onDisk: onDisk.lines,
    });
    const clean = whole.missing + whole.duplicated + whole.different + whole.extra + whole.lostOnDisk === 0;
    log(`planted fault: run ${opts.dropRun}'s output is left out (with every run's output, the soak ${clean ? 'passes' : 'fails too'})`);
  }
  for (const f of verdict.findings.slice(0, 30)) log(`${f.kind} ${f.start}: ${f.detail}`);
  if (verdict.findings.length > 30) log(`... ${verdict.findings.length - 30} more findings in ${join(ws, 'findings.json')}`);
  writeFileSync(join(ws, 'findings.json'), JSON.stringify(verdict, null, 1));
  const table = soakTable({
    minutes: opts.minutes,
    runs: runs.runs.length,
    faults: scheduler.done,
    skipped,
    verdict,
    samples: runs.samples,
    diskRepeated: onDisk.repeated,
    unasked: unasked.length,
  });
  process.stdout.write(`${table.text}\n`);
  if (table.passed && !opts.keep) rmSync(ws, { recursive: true, force: true });
  else log(`kept ${ws}`);
  process.exitCode = table.passed ? 0 : 1;
}

await main();
