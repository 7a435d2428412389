/**
 * The web page's costs (issue 17), as rows of `npm run bench -- --compare`: `--report` beside
 * `--once`, and a follow catch-up with `--serve`, with no page and with 5 live pages (5
 * `/events` streams read as a browser would), beside the plain catch-up row; and, run alone
 * (`node dist/bench/web.js month`), a month of 10 s intervals: the report's size and its
 * render time in headless chromium.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure, type Measurement, type RssMethod } from './measure.js';

type Command = [string, () => Promise<Measurement>];

/** The rows of one build: report beside --once, serve beside the follow catch-up. */
export function webPaths(
  build: { readonly node: string; readonly cli: string },
  log: { readonly path: string },
  target: string,
  method: RssMethod,
): Command[] {
  const { node, cli } = build;
  // A build timed `--against` may predate the web page.
  if (!existsSync(join(dirname(cli), '..', 'dist', 'src', 'sinks', 'web'))) return [];
  const follow = [cli, log.path, '--json', '--no-checkpoint', '--idle-timeout', '3600'];
  return [
    [
      'apachescan FILE --once --report FILE.html',
      () => inTempDir((dir) => measure(node, [cli, log.path, '--once', '--output', 'json', '--report', join(dir, 'r.html')], { method })),
    ],
    ['follow mode catch-up, --serve, no page open', () => serveCatchUp(node, follow, target, 0)],
    ['follow mode catch-up, --serve, 5 live pages', () => serveCatchUp(node, follow, target, 5)],
  ];
}

/**
 * Follow mode with `--serve` on a free port reading a whole file as a backlog, with `pages`
 * event streams open from the moment it listens: the time until the last window that the
 * file's own lines close is printed (as the plain catch-up row measures it).
 */
async function serveCatchUp(node: string, args: readonly string[], target: string, pages: number): Promise<Measurement> {
  const port = await freePort();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, [...args, '--serve', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const streams: Array<{ destroy(): void }> = [];
    let received = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const first = !stderr.includes('serving the web page');
      stderr = (stderr + d).slice(-4096);
      if (first && stderr.includes('serving the web page')) {
        for (let i = 0; i < pages; i++) {
          const req = request({ host: '127.0.0.1', port, path: '/events', headers: { Host: `127.0.0.1:${port}` }, agent: false }, (res) =>
            res.on('data', (b: Buffer) => (received += b.length)),
          );
          req.on('error', () => undefined);
          req.end();
          streams.push(req);
        }
      }
    });
    let peakRssKb: number | undefined;
    let wallMs: number | undefined;
    const deadline = setTimeout(() => child.kill('SIGKILL'), 300_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (wallMs === undefined && line.includes(target)) {
        wallMs = performance.now() - started;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(deadline);
      for (const s of streams) s.destroy();
      if (wallMs === undefined) reject(new Error(`--serve catch-up never printed ${target}: ${stderr.trim()}`));
      else if (pages > 0 && received === 0) reject(new Error('the live pages received nothing'));
      else resolve({ wallMs, peakRssKb, code: 0, signal, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-bench-web-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A month of traffic, 0..3 lines per 10 s and a burst of 20 minutes each day at noon: every 10 s interval of 30 days. */
async function writeMonthLog(path: string): Promise<number> {
  const out = createWriteStream(path);
  const t0 = Date.UTC(2026, 8, 1);
  let lines = 0;
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  const pad = (n: number): string => String(n).padStart(2, '0');
  for (let slot = 0; slot < 30 * 8640; slot++) {
    const t = new Date(t0 + slot * 10_000);
    const stamp = `${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
    const burst = t.getUTCHours() === 12 && t.getUTCMinutes() < 20;
    const n = burst ? 150 + Math.floor(random() * 50) : Math.floor(random() * 4);
    let chunk = '';
    for (let i = 0; i < n; i++) {
      const r = random();
      chunk += `10.${slot % 200}.${i % 250}.${Math.floor(r * 250)} - - [${stamp}] "GET /s${Math.floor(r * 30)}/x HTTP/1.1" ${r < 0.05 ? 500 : r < 0.15 ? 404 : 200} ${Math.floor(r * 20000)} "-" "bench"\n`;
    }
    lines += n;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(r));
  return lines;
}

/** The month: report size, and its render time in headless chromium (best of 3 loads). */
export async function monthReport(node: string, cli: string): Promise<string> {
  return inTempDir(async (dir) => {
    const log = join(dir, 'month.log');
    const lines = await writeMonthLog(log);
    const report = join(dir, 'month.html');
    const replay = await measure(node, [cli, log, '--once', '--output', 'json', '--report', report], { method: 'none' });
    if (replay.code !== 0) throw new Error(`month report failed: ${replay.stderr}`);
    const { chromium } = await import('playwright-core');
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    const times: number[] = [];
    const scripts: number[] = [];
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await page.goto(pathToFileURL(report).href);
        await page.waitForFunction('document.documentElement.dataset.rendered !== undefined');
        times.push(performance.now() - started);
        scripts.push(Number(await page.evaluate('document.documentElement.dataset.rendered')));
      }
    } finally {
      await context.close();
    }
    const kb = statSync(report).size / 1024;
    return `month report: ${lines.toLocaleString('en-US')} lines over 30 days of 10 s intervals (259,200): ${kb.toFixed(0)} KiB, replay with --report ${(replay.wallMs / 1000).toFixed(2)} s; in headless chromium, load to rendered ${Math.min(...times).toFixed(0)} ms, the page's script ${Math.min(...scripts).toFixed(0)} ms (best of 3)`;
  });
}

if (process.argv[2] === 'month') {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  console.log(await monthReport(process.execPath, join(root, 'bin', 'apachescan.js')));
}
