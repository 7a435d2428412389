import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { ListenAddress } from '../prometheus/listenAddress.js';
import { listenOn } from '../listen.js';
import type { PageAssets } from './assets.js';
import { LIVE_CSP, livePageHtml } from './pageHtml.js';
import { checkRequest, type RequestRules } from './requestRules.js';

/** `/metrics` from another sink on the same port (Prometheus). */
export type MetricsHandler = () => Promise<{
  /** The `Content-Type` of the exposition. */
  readonly contentType: string;
  /** The metrics page. */
  readonly body: string;
}>;

export interface WebServerOptions {
  readonly address: ListenAddress;
  readonly assets: PageAssets;
  readonly token?: string;
  readonly metrics?: MetricsHandler;
  /** Names a `Host` header may carry besides IP addresses, localhost and this machine's name. */
  readonly hostNames?: readonly string[];
  /** A new `/events` client: the server has written the SSE headers. */
  readonly onEvents: (res: ServerResponse) => void;
  /** Whether another `/events` client may connect (503 otherwise). */
  readonly mayConnect: () => boolean;
}

export interface WebServer {
  readonly address: ListenAddress;
  close(): Promise<void>;
}

const COMMON_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

/** Starts listening; rejects with a one-line `SinkError` when it cannot. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const page = livePageHtml();
  let rules: RequestRules | undefined;
  const server = createServer((req, res) => (rules === undefined ? res.destroy() : serve(req, res, rules, options, page)));
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // the event stream stays open
  const wanted = options.address;
  const port = await listenOn(server, wanted);
  const names = new Set([
    'localhost',
    hostname().toLowerCase(),
    wanted.host.toLowerCase(),
    ...(options.hostNames ?? []).map((n) => n.toLowerCase()),
  ]);
  rules = { port, names, ...(options.token === undefined ? {} : { token: options.token }), metrics: options.metrics !== undefined };
  return { address: { host: wanted.host, port }, close: () => closeServer(server) };
}

function serve(req: IncomingMessage, res: ServerResponse, rules: RequestRules, options: WebServerOptions, page: string): void {
  const verdict = checkRequest(
    { method: req.method, url: req.url, host: req.headers.host, authorization: req.headers.authorization },
    rules,
  );
  if (!verdict.ok) {
    reply(res, verdict.status, verdict.message, verdict.headers);
    return;
  }
  const head = req.method === 'HEAD';
  switch (verdict.route) {
    case 'page':
      send(res, head, 'text/html; charset=utf-8', page, { 'Content-Security-Policy': LIVE_CSP });
      break;
    case 'app.js':
      send(res, head, 'text/javascript; charset=utf-8', options.assets.script);
      break;
    case 'app.css':
      send(res, head, 'text/css; charset=utf-8', options.assets.style);
      break;
    case 'metrics':
      (options.metrics as MetricsHandler)().then(
        ({ contentType, body }) => send(res, head, contentType, body),
        (err: unknown) => reply(res, 500, `${err instanceof Error ? err.message : String(err)}\n`),
      );
      break;
    case 'events':
      if (!options.mayConnect()) {
        reply(res, 503, 'Service Unavailable: too many live pages\n', { 'Retry-After': '10' });
        break;
      }
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      if (head) {
        res.end();
        break;
      }
      res.flushHeaders();
      req.socket.setNoDelay(true);
      options.onEvents(res);
  }
}

function send(res: ServerResponse, head: boolean, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { ...COMMON_HEADERS, ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

function reply(res: ServerResponse, status: number, text: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
