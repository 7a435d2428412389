/**
 * What following a live log costs beside the web server: a writer process appends Combined
 * lines with one write() per line (Apache's default, `BufferedLogs Off`) at each rate, or
 * nothing (idle), while one follower at a time follows the file: apachescan (the CLI, follow
 * mode, no checkpoint), Debian's mtail (a program counting status classes, sections and
 * bytes) and GoAccess real-time, each if installed. CPU % of one core from /proc/PID/stat
 * over the measured seconds, peak RSS sampled from /proc/PID/status; rounds interleave the
 * tools. Reader lag p99 is apachescan's tailer in this process under the same writer
 * (`bench/readerLag.ts`): the CLIs give no per-line read time. "MB unread at the end" is
 * how far a follower that reads with read(2) (mtail, GoAccess) trails the writer when the
 * measurement ends, from its descriptor's offset (apachescan reads with pread: see its lag).
 *
 *   npm run bench:live -- [--rates 0,10000,50000] [--seconds S] [--rounds N] [--tools apachescan,mtail,goaccess]
 *
 * Prints figures (the range over rounds), no verdict.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { measureRate, percentile } from './readerLag.js';

const USAGE = `usage: npm run bench:live -- [--rates R1,R2,...] [--seconds S] [--rounds N] [--tools T1,T2,...]
  --rates    lines per second written, one write() per line; 0 is idle (default 0,10000,50000)
  --seconds  seconds measured per run, after 3 s of warm-up (default 20)
  --rounds   rounds, the tools interleaved (default 2)
  --tools    among apachescan, mtail, goaccess (default: all, those not installed skipped)`;

/**
 * Combined lines, one write() each, spread evenly (the writer checks what is due on every turn of
 * its event loop, as requests end at any time), their time the current second; a few sections.
 */
const WRITER = `
const fs = require('node:fs');
const [path, rate] = [process.argv.at(-2), Number(process.argv.at(-1))];
const fd = fs.openSync(path, 'a');
const M = ['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'];
const p2 = (n) => String(n).padStart(2, '0');
const stamp = (d) => p2(d.getUTCDate()) + '/' + M[d.getUTCMonth()] + '/' + d.getUTCFullYear() + ':' + p2(d.getUTCHours()) + ':' + p2(d.getUTCMinutes()) + ':' + p2(d.getUTCSeconds()) + ' +0000';
const sections = ['/api', '/report', '/static', '/user', '/search', '/img', '/login', '/cart'];
const statuses = [200, 200, 200, 200, 200, 304, 301, 404, 500, 200];
const start = performance.now();
let seq = 0;
let second = -1;
let time = '';
const tick = () => {
  const now = performance.now();
  const due = Math.floor(((now - start) / 1000) * rate);
  const s = Math.floor((performance.timeOrigin + now) / 1000);
  if (s !== second) { second = s; time = stamp(new Date(s * 1000)); }
  while (seq < due) {
    seq++;
    const line = '10.0.' + (seq % 200) + '.' + (seq % 97) + ' - - [' + time + '] "GET ' + sections[seq % 8] + '/page' + (seq % 50) +
      '?id=' + seq + ' HTTP/1.1" ' + statuses[seq % 10] + ' ' + (200 + (seq % 5000)) + ' "https://example.com/" "Mozilla/5.0 (X11; Linux x86_64) bench"\\n';
    fs.writeSync(fd, line);
  }
  setImmediate(tick);
};
if (rate > 0) tick(); else setInterval(() => undefined, 1 << 30);
`;

/** An mtail program doing what apachescan reports: hits per status class and per section, bytes. */
const MTAIL_PROGRAM = `counter hits by class
counter section_hits by section
counter bytes_sent

/^\\S+ \\S+ \\S+ \\[[^\\]]+\\] "\\S+ (?P<section>\\/[^\\/ ?"]*)[^"]*" (?P<class>\\d)\\d\\d (?P<size>\\d+)/ {
  hits[$class]++
  section_hits[$section]++
  bytes_sent += $size
}
`;

interface Tool {
  readonly name: string;
  readonly installed: () => boolean;
  readonly start: (log: string, dir: string, port: number) => ChildProcess;
}

const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const TOOLS: readonly Tool[] = [
  {
    name: 'apachescan',
    installed: () => true,
    start: (log) => spawn(process.execPath, [BIN_PATH, log, '--no-checkpoint', '--json'], { stdio: ['ignore', 'ignore', 'ignore'] }),
  },
  {
    name: 'mtail',
    installed: () => onPath('mtail'),
    start: (log, dir, port) => {
      const progs = join(dir, 'progs');
      mkdirSync(progs);
      writeFileSync(join(progs, 'apache.mtail'), MTAIL_PROGRAM);
      return spawn('mtail', ['--progs', progs, '--logs', log, '--one_shot=false', '--address', '127.0.0.1', '--port', String(port)], {
        stdio: 'ignore',
      });
    },
  },
  {
    name: 'goaccess',
    installed: () => onPath('goaccess'),
    start: (log, dir, port) =>
      spawn(
        'goaccess',
        [
          log,
          '--log-format=COMBINED',
          '--real-time-html',
          '--addr=127.0.0.1',
          `--port=${port}`,
          '-o',
          join(dir, 'report.html'),
          '--no-global-config',
        ],
        {
          stdio: 'ignore',
        },
      ),
  },
];

/** The CLI of this checkout (dist/bench/live.js -> bin/apachescan.js). */
const BIN_PATH = fileURLToPath(new URL('../../bin/apachescan.js', import.meta.url));

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of `pid`, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

interface Sample {
  readonly cpu: number;
  readonly rss: number;
  /** MB of the log not read yet at the end (from the descriptor's offset; undefined: reads with pread). */
  readonly behind: number | undefined;
}

/** How far `pid`'s descriptor of `log` is from the end of the file, in MB (a reader using read(2)). */
function behindMb(pid: number, log: string): number | undefined {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== log) continue;
      const pos = Number(/pos:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1]);
      // pread leaves the offset at 0: unknown.
      return pos > 0 ? (statSync(log).size - pos) / 1e6 : undefined;
    }
  } catch {
    // the process is gone
  }
  return undefined;
}

async function measure(tool: Tool, rate: number, seconds: number, port: number): Promise<Sample | string> {
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-live-'));
  const log = join(dir, 'access.log');
  writeFileSync(log, '');
  const follower = tool.start(log, dir, port);
  const writer = spawn(process.execPath, ['-e', WRITER, log, String(rate)], { stdio: 'ignore' });
  try {
    await delay(3000);
    const pid = follower.pid;
    if (pid === undefined || follower.exitCode !== null) return `${tool.name} exited (${follower.exitCode ?? follower.signalCode})`;
    const before = cpuSeconds(pid);
    const started = performance.now();
    let rss = rssMb(pid);
    while (performance.now() - started < seconds * 1000) {
      await delay(1000);
      if (follower.exitCode !== null) return `${tool.name} exited (${follower.exitCode})`;
      rss = Math.max(rss, rssMb(pid));
    }
    const cpu = ((cpuSeconds(pid) - before) / ((performance.now() - started) / 1000)) * 100;
    return { cpu, rss, behind: rate > 0 ? behindMb(pid, log) : undefined };
  } finally {
    await stop(writer);
    await stop(follower);
    rmSync(dir, { recursive: true, force: true });
  }
}

const range = (xs: readonly number[], digits: number, unit: string): string => {
  if (xs.length === 0) return '—';
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? `${lo}${unit}` : `${lo}–${hi}${unit}`;
};

async function main(): Promise<number> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the parseArgs call that assigns it
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rates: { type: 'string' },
        seconds: { type: 'string' },
        rounds: { type: 'string' },
        tools: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`bench:live: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const rates = (values.rates ?? '0,10000,50000').split(',').map(Number);
  const seconds = Number(values.seconds ?? '20');
  const rounds = Number(values.rounds ?? '2');
  const wanted = (values.tools ?? TOOLS.map((t) => t.name).join(',')).split(',');
  const unknown = wanted.filter((w) => !TOOLS.some((t) => t.name === w));
  if (rates.some((r) => !(r >= 0)) || !(seconds > 0) || !(rounds >= 1) || unknown.length > 0) {
    process.stderr.write(`bench:live: bad arguments${unknown.length > 0 ? ` (unknown tool ${unknown.join(', ')})` : ''}\n${USAGE}\n`);
    return 2;
  }
  const tools = TOOLS.filter((t) => wanted.includes(t.name));
  for (const t of tools.filter((t) => !t.installed())) process.stdout.write(`${t.name}: not installed, skipped\n`);
  const present = tools.filter((t) => t.installed());
  const samples = new Map<string, Sample[]>();
  const notes = new Map<string, string>();
  const lags = new Map<number, number[]>();
  const key = (tool: string, rate: number): string => `${tool}@${rate}`;
  process.stdout.write(`live cost, one write() per Combined line: ${rounds} round(s) of ${seconds} s per tool and rate\n`);
  let port = 39031;
  for (let round = 0; round < rounds; round++) {
    for (const rate of rates) {
      // Interleaved: the order of the tools turns each round.
      const order = present.map((_, i) => present[(i + round) % present.length] as Tool);
      for (const tool of order) {
        const result = await measure(tool, rate, seconds, port++);
        if (typeof result === 'string') notes.set(key(tool.name, rate), result);
        else samples.set(key(tool.name, rate), [...(samples.get(key(tool.name, rate)) ?? []), result]);
        const shown =
          typeof result === 'string'
            ? result
            : `${result.cpu.toFixed(1)} % CPU, ${result.rss.toFixed(0)} MB, ${result.behind?.toFixed(1) ?? '?'} MB unread`;
        process.stderr.write(`round ${round + 1} ${rate} lines/s ${tool.name}: ${shown}\n`);
      }
      if (rate > 0 && present.some((t) => t.name === 'apachescan')) {
        const r = await measureRate(rate, 5, undefined, true);
        lags.set(rate, [...(lags.get(rate) ?? []), percentile(r.lags, 99)]);
      }
    }
  }
  process.stdout.write(
    `\n| lines/s (one write per line) | follower | CPU (% of one core) | RSS (MB) | reader lag p99 (ms) | MB unread at the end |\n| --- | --- | --- | --- | --- | --- |\n`,
  );
  for (const rate of rates) {
    for (const tool of present) {
      const s = samples.get(key(tool.name, rate)) ?? [];
      const lag = tool.name === 'apachescan' && rate > 0 ? range(lags.get(rate) ?? [], 0, '') : '—';
      const note = notes.get(key(tool.name, rate));
      const cpu =
        s.length === 0
          ? (note ?? '—')
          : range(
              s.map((x) => x.cpu),
              1,
              ' %',
            );
      const behind = s.flatMap((x) => (x.behind === undefined ? [] : [x.behind]));
      process.stdout.write(
        `| ${rate === 0 ? 'idle' : rate} | ${tool.name} | ${cpu} | ${range(
          s.map((x) => x.rss),
          0,
          '',
        )} | ${lag} | ${range(behind, 1, '')} |\n`,
      );
    }
  }
  return 0;
}

process.exitCode = await main();
