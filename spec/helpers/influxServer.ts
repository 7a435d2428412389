import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort } from './system.js';

/** The real InfluxDB 1.x daemon (Debian package `influxdb`); `INFLUXD` overrides the path. */
export const INFLUXD = process.env['INFLUXD'] ?? '/usr/bin/influxd';

/**
 * Call first in every real-server test: returns false after `t.skip()` when influxd is
 * missing on a developer machine, and throws (the test FAILS) when it is missing on CI.
 */
export function requireInfluxd(t: TestContext): boolean {
  if (existsSync(INFLUXD)) return true;
  const message = `${INFLUXD} not found: install the Debian package "influxdb" (apt-get install influxdb) or set INFLUXD`;
  if (process.env['CI']) throw new Error(`${message}; the InfluxDB tests cannot run without it on CI`);
  t.skip(message);
  return false;
}

export const influxdAvailable = (): boolean => existsSync(INFLUXD);

export interface InfluxQueryResult {
  readonly results: readonly {
    readonly error?: string;
    readonly series?: readonly {
      readonly name: string;
      readonly tags?: Record<string, string>;
      readonly columns: readonly string[];
      readonly values: readonly (readonly unknown[])[];
    }[];
  }[];
  readonly error?: string;
}

export interface InfluxServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Temp folder holding the config, meta, data and wal dirs. */
  readonly dir: string;
  /** `GET /query?db=<db>&epoch=s&q=...` */
  query(q: string, db?: string): Promise<InfluxQueryResult>;
  /** `POST /query?q=...` for statements that change things (CREATE DATABASE, DROP ...). */
  command(q: string): Promise<void>;
  /** Rows of the first series as objects `{ column: value }` (empty when none). */
  rows(q: string, db?: string): Promise<Record<string, unknown>[]>;
  /** SIGTERM, then SIGKILL after 5 s; removes the temp folder unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** HTTP port; default a free one. */
  readonly port?: number;
  /** Reuse a folder from an earlier `stop({ keepData: true })` (meta and data survive). */
  readonly dir?: string;
  /** Created with `CREATE DATABASE` once `/ping` answers. Default `web`. */
  readonly database?: string;
  readonly startTimeoutMs?: number;
}

/** Starts a private influxd on loopback with everything inside a temp folder. */
export async function startInfluxServer(options: StartOptions = {}): Promise<InfluxServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'apachescan-influx-'));
  const port = options.port ?? (await freePort());
  let rpcPort = await freePort();
  while (rpcPort === port) rpcPort = await freePort();
  const config = join(dir, 'influxdb.conf');
  writeFileSync(config, configText(dir, port, rpcPort));
  const child = spawn(INFLUXD, ['-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let failure: string | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      failure ??= `exited with ${signal ?? `code ${code}`}`;
      resolve(code);
    }),
  );
  child.once('error', (err) => (failure = err.message));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;

  const stop = async (stopOptions: { keepData?: boolean } = {}): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await terminate(child, exited);
    if (!stopOptions.keepData) rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  while ((await ping(url)) !== 204) {
    if (failure !== undefined || Date.now() > deadline) {
      const why = failure ?? 'no answer to /ping in time';
      await stop();
      throw new Error(`influxd did not start on port ${port} (${why}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const command = async (q: string): Promise<void> => {
    const res = await fetch(`${url}/query?${new URLSearchParams({ q })}`, { method: 'POST' });
    const text = await res.text();
    if (!res.ok || text.includes('"error"')) throw new Error(`${q} failed: HTTP ${res.status} ${text}`);
  };
  const database = options.database ?? 'web';
  try {
    await command(`CREATE DATABASE "${database}"`);
  } catch (err) {
    await stop();
    throw err;
  }

  const query = async (q: string, db = database): Promise<InfluxQueryResult> => {
    const res = await fetch(`${url}/query?${new URLSearchParams({ db, q, epoch: 's' })}`);
    const body = (await res.json()) as InfluxQueryResult;
    const error = body.error ?? body.results[0]?.error;
    if (!res.ok || error !== undefined) throw new Error(`query ${q} failed: HTTP ${res.status} ${error ?? ''}`);
    return body;
  };
  const rows = async (q: string, db?: string): Promise<Record<string, unknown>[]> => {
    const series = (await query(q, db)).results[0]?.series?.[0];
    if (series === undefined) return [];
    return series.values.map((v) => Object.fromEntries(series.columns.map((c, i) => [c, v[i]])));
  };
  return { url, port, pid: child.pid ?? -1, dir, query, command, rows, stop };
}

/** Resolves with the HTTP status of `/ping`, or 0 when nothing answers. */
async function ping(url: string): Promise<number> {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function terminate(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5000)))]);
  clearTimeout(timer);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}

function configText(dir: string, port: number, rpcPort: number): string {
  const q = (s: string): string => JSON.stringify(s);
  return `# Written by spec/helpers/influxServer.ts: a private, loopback-only InfluxDB for one test run.
# Upstream 1.x spells the first key; Debian's package renamed it to the second.
reporting-disabled = true
reporting-enabled = false
bind-address = ${q(`127.0.0.1:${rpcPort}`)}

[meta]
  dir = ${q(join(dir, 'meta'))}

[data]
  dir = ${q(join(dir, 'data'))}
  wal-dir = ${q(join(dir, 'wal'))}
  wal-fsync-delay = "0s"
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = ${q(`127.0.0.1:${port}`)}
  auth-enabled = false
  log-enabled = false
  pprof-enabled = false

[logging]
  level = "warn"
  suppress-logo = true

[continuous_queries]
  enabled = false

[subscriber]
  enabled = false

[[graphite]]
  enabled = false

[[collectd]]
  enabled = false

[[opentsdb]]
  enabled = false

[[udp]]
  enabled = false
`;
}
