import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SinkError } from '../errors.js';
import { formatListenAddress, type ListenAddress } from './prometheus/listenAddress.js';

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
};

/**
 * Starts `server` listening on `wanted` (the Prometheus exporter's and the web page's server);
 * resolves with the port it got (`wanted.port` 0: a free one), rejects with a one-line
 * `SinkError` when it cannot.
 */
export function listenOn(server: Server, wanted: ListenAddress): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const reason = (err.code && REASONS[err.code]) ?? err.message;
      reject(new SinkError(`cannot listen on ${formatListenAddress(wanted)}: ${reason}`, err.code, { cause: err }));
    };
    server.once('error', onError);
    server.listen(wanted.port, wanted.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
