/**
 * A real Apache httpd for the tests: a self-contained httpd.conf in a temp folder (its own
 * port on 127.0.0.1, pid file, error log, Combined access log, a small document root),
 * started in the foreground and stopped by PID; and ApacheBench (`ab`) to load it.
 * CI installs both with `apt-get install apache2 apache2-utils` (Debian's /usr/sbin/apache2).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './sleep.js';
import { freePort, isExecutable } from './system.js';

export const APACHE_BIN = process.env['APACHE_BIN'] ?? '/usr/sbin/apache2';
export const AB_BIN = process.env['AB_BIN'] ?? '/usr/bin/ab';
export const APACHE_MODULES = process.env['APACHE_MODULES'] ?? '/usr/lib/apache2/modules';
const INSTALL = 'apt-get install apache2 apache2-utils, or set APACHE_BIN / AB_BIN / APACHE_MODULES';

function missing(): string[] {
  return [APACHE_BIN, AB_BIN].filter((bin) => !isExecutable(bin));
}

/**
 * `{ skip }` options for `test()`: skipped locally when Apache or ab is missing; under CI
 * (`CI` set) the test runs, and `requireApache` fails it with a clear message.
 */
export function apacheTestOptions(): { skip?: string } {
  const gone = missing();
  if (gone.length === 0 || process.env['CI']) return {};
  return { skip: `${gone.join(' and ')} not installed (${INSTALL}); required when CI is set` };
}

/** Fails the test when Apache or ab is missing. */
export function requireApache(): void {
  const gone = missing();
  if (gone.length > 0) throw new Error(`${gone.join(' and ')} not installed or not executable: ${INSTALL}`);
}

export interface ApacheServer {
  /** The parent process (the one that reopens logs and spawns the workers). */
  readonly pid: number;
  readonly url: string;
  readonly dir: string;
  readonly accessLog: string;
  readonly errorLog: string;
  /** `apache2 -k graceful`: SIGUSR1 to the parent, which reopens its logs. */
  graceful(): void;
  /** SIGSTOP to the parent and every worker, returning once all are stopped. */
  pause(): Promise<void>;
  /** SIGCONT to the workers and the parent. */
  resume(): void;
  /** SIGTERM to the parent, waits for it to exit (SIGKILL to all after `graceMs`), removes the folder. */
  stop(graceMs?: number): Promise<void>;
}

/** Direct children of `pid`, from /proc. */
export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return kids;
}

function state(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '?';
  }
}

function config(dir: string, port: number): string {
  const modules = ['mpm_event', 'authz_core', 'log_config', 'dir', 'mime', 'unixd'];
  // Root must hand the workers to an unprivileged user; anyone else runs them as itself.
  const group = readFileSync('/etc/group', 'utf8').includes('\nnogroup:') ? 'nogroup' : 'nobody';
  return [
    `ServerRoot "${dir}"`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    `PidFile "${dir}/httpd.pid"`,
    `DefaultRuntimeDir "${dir}"`,
    `ErrorLog "${dir}/error.log"`,
    'LogLevel warn',
    // Built-in modules (log_config, unixd in Debian's build) must not be loaded again.
    ...modules.flatMap((m) => [`<IfModule !${m}_module>`, `  LoadModule ${m}_module "${APACHE_MODULES}/mod_${m}.so"`, '</IfModule>']),
    ...(process.getuid?.() === 0 ? ['User nobody', `Group ${group}`] : []),
    'StartServers 2',
    'ThreadsPerChild 16',
    'MaxRequestWorkers 64',
    `DocumentRoot "${dir}/htdocs"`,
    `<Directory "${dir}/htdocs">`,
    '  Require all granted',
    '</Directory>',
    'TypesConfig /dev/null',
    'LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-agent}i\\"" combined',
    `CustomLog "${dir}/access.log" combined`,
    '',
  ].join('\n');
}

/** Whether something accepts TCP connections on 127.0.0.1:port (connects and closes, sends nothing). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts Apache in the foreground on a free port; resolves once it accepts connections. */
export async function startApache(options: { readyTimeoutMs?: number } = {}): Promise<ApacheServer> {
  requireApache();
  const mpm = join(APACHE_MODULES, 'mod_mpm_event.so');
  if (!existsSync(mpm)) throw new Error(`${mpm} is missing: ${INSTALL}`);
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-apache-'));
  for (const sub of ['htdocs', 'htdocs/api', 'htdocs/static']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'htdocs', 'api', 'x'), '{"ok":true}\n');
  writeFileSync(join(dir, 'htdocs', 'static', 'a.css'), 'body { color: black }\n');
  writeFileSync(join(dir, 'htdocs', 'index.html'), '<p>apachescan test</p>\n');
  for (const path of [dir, join(dir, 'htdocs'), join(dir, 'htdocs', 'api'), join(dir, 'htdocs', 'static')]) chmodSync(path, 0o755);
  const port = await freePort();
  const conf = join(dir, 'httpd.conf');
  writeFileSync(conf, config(dir, port));
  const child: ChildProcess = spawn(APACHE_BIN, ['-f', conf, '-DFOREGROUND'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid ?? -1;
  const errorLog = join(dir, 'error.log');
  const describe = (): string => `${output.trim()} ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8').trim() : ''}`.trim();
  const signalAll = (pids: readonly number[], signal: NodeJS.Signals): void => {
    for (const p of pids) {
      try {
        process.kill(p, signal);
      } catch {
        // already gone
      }
    }
  };
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const workers = childrenOf(pid);
      signalAll([pid, ...workers], 'SIGCONT');
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => signalAll([pid, ...workers, ...childrenOf(pid)], 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const until = performance.now() + (options.readyTimeoutMs ?? 15_000);
  while (!(await accepts(port))) {
    if (child.exitCode !== null || child.signalCode !== null || performance.now() > until) {
      await stop(1000);
      throw new Error(`Apache did not start on 127.0.0.1:${port}: ${describe()}`);
    }
    await sleep(50);
  }
  return {
    pid,
    url: `http://127.0.0.1:${port}`,
    dir,
    accessLog: join(dir, 'access.log'),
    errorLog,
    graceful: () => process.kill(pid, 'SIGUSR1'),
    pause: async () => {
      const all = [pid, ...childrenOf(pid)];
      signalAll(all, 'SIGSTOP');
      const deadline = performance.now() + 5000;
      while (all.some((p) => !['T', '?', 'Z'].includes(state(p))) && performance.now() < deadline) await sleep(1);
    },
    resume: () => signalAll([...childrenOf(pid), pid], 'SIGCONT'),
    stop,
  };
}

export interface AbResult {
  readonly complete: number;
  readonly failed: number;
  readonly non2xx: number;
  readonly output: string;
}

/** Runs `ab -n requests -c concurrency url` and reads its report. */
export function runAb(url: string, requests: number, concurrency: number): Promise<AbResult> {
  return new Promise((resolve, reject) => {
    execFile(
      AB_BIN,
      ['-q', '-n', String(requests), '-c', String(concurrency), '-s', '60', url],
      { timeout: 120_000 },
      (err, stdout, stderr) => {
        const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(stdout)?.[1] ?? 0);
        if (err !== null && !/Complete requests/.test(stdout)) return reject(new Error(`ab failed: ${err.message} ${stderr}`));
        resolve({
          complete: field('Complete requests'),
          failed: field('Failed requests'),
          non2xx: field('Non-2xx responses'),
          output: stdout,
        });
      },
    );
  });
}
