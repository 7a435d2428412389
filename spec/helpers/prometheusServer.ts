import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatsEvent } from '../../src/types.js';
import { freePort, isExecutable } from './system.js';
import { stopChild, waitReady } from './serverProcess.js';
import { sleep } from './sleep.js';

/** The real servers under test; CI installs them with `apt-get install prometheus`. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/**
 * `{ skip }` options for `test()` when `bin` is missing: skip locally, but under CI (`CI` set)
 * run the test so that `requireBinary` fails it with a clear message.
 */
export function binaryTestOptions(bin: string): { skip?: string } {
  if (isExecutable(bin) || process.env.CI) return {};
  return { skip: `${bin} is not installed (apt-get install prometheus); required when CI is set` };
}

/** Fails the test when `bin` is missing (only reached under CI, see `binaryTestOptions`). */
export function requireBinary(bin: string): void {
  if (!isExecutable(bin))
    throw new Error(
      `${bin} is not installed or not executable: install it (apt-get install prometheus) or set PROMETHEUS_BIN/PROMTOOL_BIN`,
    );
}

/** One sample of an instant vector from `/api/v1/query`. */
export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusServer {
  readonly url: string;
  readonly dir: string;
  /** Runs an instant query; the result must be a vector. */
  query(expr: string): Promise<Sample[]>;
  /** Polls `query(expr)` until `accept` holds; on timeout fails with the last result. */
  waitFor(expr: string, accept: (samples: Sample[]) => boolean, timeoutMs?: number): Promise<Sample[]>;
  /** SIGTERM by PID, SIGKILL after `graceMs`; removes the temp folder. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the real Prometheus scraping `targets` (HOST:PORT) every second, resolves when ready. */
export async function startPrometheus(targets: readonly string[], options: { readyTimeoutMs?: number } = {}): Promise<PrometheusServer> {
  requireBinary(PROMETHEUS_BIN);
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: apachescan',
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
  const server: PrometheusServer = {
    url,
    dir,
    query: (expr) => query(url, expr),
    waitFor: (expr, accept, timeoutMs = 10_000) => waitFor(url, expr, accept, timeoutMs),
    stop: (graceMs = 5000) => stopChild(child, graceMs).finally(() => rmSync(dir, { recursive: true, force: true })),
  };
  try {
    await waitReady(url, child, options.readyTimeoutMs ?? 15_000);
  } catch (err) {
    await server.stop();
    throw new Error(`prometheus did not become ready: ${(err as Error).message}\n${log}`);
  }
  return server;
}

async function query(url: string, expr: string): Promise<Sample[]> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success' || !body.data) throw new Error(`query ${expr} failed: ${body.error ?? res.status}`);
  if (body.data.resultType !== 'vector') throw new Error(`query ${expr} returned a ${body.data.resultType}, not a vector`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

async function waitFor(url: string, expr: string, accept: (samples: Sample[]) => boolean, timeoutMs: number): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  let last: Sample[] = [];
  for (;;) {
    last = await query(url, expr);
    if (accept(last)) return last;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting on ${expr}; last result: ${JSON.stringify(last)}`);
    await sleep(200);
  }
}

/** Runs promtool with `args` (and `input` on its stdin, e.g. for `check metrics`); returns its exit code and combined output. */
export function promtool(args: readonly string[], input?: string): { code: number | null; output: string } {
  requireBinary(PROMTOOL_BIN);
  const result = spawnSync(PROMTOOL_BIN, args, { encoding: 'utf8', timeout: 20_000, ...(input === undefined ? {} : { input }) });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** One sample of the text exposition format (`/metrics`). */
export interface TextSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE_LINE = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL_PAIR = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** Parses `/metrics` text into samples (comments skipped; label values unescaped). */
export function parseExposition(text: string): TextSample[] {
  const out: TextSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE_LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (m[2] ?? '').matchAll(LABEL_PAIR)) {
      labels[key as string] = (raw as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

/** Samples of `name` as `labelValue -> value` for one label (or `'' -> value` without labels). */
export function byLabel(samples: readonly TextSample[], name: string, label?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) if (s.name === name) out[label === undefined ? '' : (s.labels[label] ?? '')] = s.value;
  return out;
}

/** A stats event for the 10 s interval starting `startSeconds` after `base`, with defaults. */
export function statsEvent(
  base: number,
  startSeconds: number,
  fields: Partial<Omit<StatsEvent, 'type' | 'start' | 'end'>> & { length?: number } = {},
): StatsEvent {
  const { length = 10, ...rest } = fields;
  return {
    type: 'stats',
    start: base + startSeconds * 1000,
    end: base + (startSeconds + length) * 1000,
    hits: 0,
    bytes: 0,
    hosts: 0,
    sections: [],
    status: {},
    invalid: 0,
    late: 0,
    ...rest,
  };
}
