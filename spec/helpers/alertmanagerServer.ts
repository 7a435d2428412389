import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { freePort, isExecutable } from './system.js';
import { stopChild, waitReady } from './serverProcess.js';
import { sleep } from './sleep.js';

/** The real Alertmanager (Debian package `prometheus-alertmanager`); `ALERTMANAGER_BIN` overrides it. */
export const ALERTMANAGER_BIN = process.env['ALERTMANAGER_BIN'] ?? '/usr/bin/prometheus-alertmanager';

/** `{ skip }` for `test()`: skip locally when it is missing, run (and fail clearly) under CI. */
export function alertmanagerTestOptions(): { skip?: string } {
  if (isExecutable(ALERTMANAGER_BIN) || process.env['CI']) return {};
  return { skip: `${ALERTMANAGER_BIN} is not installed (apt-get install prometheus-alertmanager); required when CI is set` };
}

/** An alert as `GET /api/v2/alerts` returns it (the fields the tests read). */
export interface GettableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly status: { readonly state: string };
}

/** A notification Alertmanager sent to the webhook receiver. */
export interface WebhookMessage {
  readonly status: 'firing' | 'resolved';
  readonly alerts: readonly {
    readonly status: string;
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly endsAt: string;
  }[];
}

export interface AlertmanagerServer {
  readonly url: string;
  /** `GET /api/v2/alerts` (active, unresolved alerts). */
  alerts(): Promise<GettableAlert[]>;
  /** Notifications received by the webhook receiver so far, in order. */
  readonly notifications: WebhookMessage[];
  /** Polls `check` against `alerts()` until it holds; fails with the last answer after `timeoutMs`. */
  waitForAlerts(what: string, check: (alerts: GettableAlert[]) => boolean, timeoutMs?: number): Promise<GettableAlert[]>;
  /** Polls until a notification satisfies `check`. */
  waitForNotification(what: string, check: (message: WebhookMessage) => boolean, timeoutMs?: number): Promise<WebhookMessage>;
  /** SIGTERM by PID (SIGKILL after 5 s), closes the webhook receiver, removes the temp folder. */
  stop(): Promise<void>;
}

/**
 * Starts a private Alertmanager on loopback (`port`, or a free one): config and storage in a
 * temp folder, clustering off, one route to a webhook receiver served by this process
 * (`send_resolved`, 1 s grouping). Resolves once `/-/ready` answers.
 */
export async function startAlertmanager(options: { port?: number; readyTimeoutMs?: number } = {}): Promise<AlertmanagerServer> {
  if (!isExecutable(ALERTMANAGER_BIN))
    throw new Error(`${ALERTMANAGER_BIN} is not installed: apt-get install prometheus-alertmanager, or set ALERTMANAGER_BIN`);
  const notifications: WebhookMessage[] = [];
  const hook = await startWebhook(notifications);
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    [
      'route:',
      '  receiver: hook',
      '  group_by: [alertname, instance]',
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: hook',
      '    webhook_configs:',
      `      - url: http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      '        send_resolved: true',
      '',
    ].join('\n'),
  );
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-4000)));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const alerts = async (): Promise<GettableAlert[]> => {
    const res = await fetch(`${url}/api/v2/alerts`);
    if (!res.ok) throw new Error(`GET /api/v2/alerts: HTTP ${res.status}`);
    return (await res.json()) as GettableAlert[];
  };
  const server: AlertmanagerServer = {
    url,
    alerts,
    notifications,
    waitForAlerts: async (what, check, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = await alerts();
        if (check(last)) return last;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; Alertmanager has ${JSON.stringify(last)}`);
        await sleep(100);
      }
    },
    waitForNotification: async (what, check, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = notifications.find(check);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; notifications: ${JSON.stringify(notifications)}`);
        await sleep(100);
      }
    },
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child);
      await new Promise((resolve) => hook.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitReady(url, child, options.readyTimeoutMs ?? 20_000);
  } catch (err) {
    await server.stop();
    throw new Error(`alertmanager did not become ready: ${(err as Error).message}\n${log}`);
  }
  return server;
}

/** A webhook receiver on a free loopback port that records every notification. */
function startWebhook(into: WebhookMessage[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      try {
        into.push(JSON.parse(body) as WebhookMessage);
      } catch {
        // not JSON: ignored
      }
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
