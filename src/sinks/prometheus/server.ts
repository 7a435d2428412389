import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { ListenAddress } from './listenAddress.js';
import { listenOn } from '../listen.js';

/** A listening HTTP server that serves `GET /metrics` from one registry and 404 elsewhere. */
export interface MetricsServer {
  readonly address: ListenAddress;
  close(): Promise<void>;
}

/** Starts listening; rejects with a `SinkError` (one-line message) when it cannot. */
export async function startMetricsServer(registry: Registry, wanted: ListenAddress): Promise<MetricsServer> {
  const server = createServer((req, res) => void serve(registry, req, res));
  const port = await listenOn(server, wanted);
  return { address: { host: wanted.host, port }, close: () => closeServer(server) };
}

async function serve(registry: Registry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path !== '/metrics') return reply(res, 404, 'Not Found\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    reply(res, 500, `${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Stops accepting, drops idle keep-alive connections (Prometheus keeps one open), then the rest. */
function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 1000);
    force.unref();
    server.once('close', () => clearTimeout(force));
  });
}
