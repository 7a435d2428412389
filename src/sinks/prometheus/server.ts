import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { formatListenAddress, type ListenAddress } from './listenAddress.js';
import { SinkError } from '../../errors.js';

/** A listening HTTP server that serves `GET /metrics` from one registry and 404 elsewhere. */
export interface MetricsServer {
  readonly address: ListenAddress;
  close(): Promise<void>;
}

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
};

/** Starts listening; rejects with a `SinkError` (one-line message) when it cannot. */
export function startMetricsServer(registry: Registry, wanted: ListenAddress): Promise<MetricsServer> {
  const server = createServer((req, res) => void serve(registry, req, res));
  return new Promise<MetricsServer>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const reason = (err.code && REASONS[err.code]) ?? err.message;
      reject(new SinkError(`cannot listen on ${formatListenAddress(wanted)}: ${reason}`, err.code, { cause: err }));
    };
    server.once('error', onError);
    server.listen(wanted.port, wanted.host, () => {
      server.off('error', onError);
      const { port } = server.address() as AddressInfo;
      resolve({ address: { host: wanted.host, port }, close: () => closeServer(server) });
    });
  });
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
