import { isIP } from 'node:net';
import { SinkError } from '../../errors.js';

/** Where the exporter listens. `host` is an IP address or a host name, without brackets. */
export interface ListenAddress {
  /** IP address or host name (default 127.0.0.1). */
  readonly host: string;
  /** TCP port, 0..65535 (0: any free one). */
  readonly port: number;
}

/** The exporter listens on loopback unless told otherwise. */
export const DEFAULT_HOST = '127.0.0.1';

const PORT = /^\d{1,5}$/;
// One or more dot-separated labels of letters, digits and hyphens (no nested quantifiers).
const HOST_NAME = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*$/;

/**
 * Parses `PORT`, `HOST:PORT` or `[IPv6]:PORT` (the `--prometheus` value).
 * `9100` listens on `defaultHost` (127.0.0.1); port 0 asks for an ephemeral port.
 *
 * @example parseListenAddress('0.0.0.0:9100') // { host: '0.0.0.0', port: 9100 }
 * @throws SinkError with a one-line message when the value is malformed.
 */
export function parseListenAddress(value: string, defaultHost: string = DEFAULT_HOST): ListenAddress {
  const text = value.trim();
  if (text === '') throw new SinkError('listen address is empty; expected PORT, HOST:PORT or [IPv6]:PORT');
  if (PORT.test(text)) return { host: defaultHost, port: parsePort(text, value) };
  let host: string;
  let port: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') throw bad(value, 'expected [IPv6]:PORT');
    host = text.slice(1, close);
    port = text.slice(close + 2);
    if (isIP(host) !== 6) throw bad(value, `${JSON.stringify(host)} is not an IPv6 address`);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw bad(value, 'expected PORT, HOST:PORT or [IPv6]:PORT');
    host = text.slice(0, colon);
    port = text.slice(colon + 1);
    if (host.includes(':')) throw bad(value, 'put an IPv6 address in brackets, e.g. [::1]:9100');
    if (host === '') throw bad(value, 'missing host before ":"; use 0.0.0.0:PORT for all interfaces');
    if (isIP(host) === 0 && !HOST_NAME.test(host)) throw bad(value, `${JSON.stringify(host)} is not a valid host`);
  }
  return { host, port: parsePort(port, value) };
}

/** `127.0.0.1:9100`, `[::1]:9100`. */
export function formatListenAddress(address: ListenAddress): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function parsePort(port: string, value: string): number {
  if (!PORT.test(port)) throw bad(value, `${JSON.stringify(port)} is not a port number`);
  const n = Number(port);
  if (n > 65_535) throw bad(value, `port ${n} is out of range 0..65535`);
  return n;
}

function bad(value: string, why: string): SinkError {
  return new SinkError(`invalid listen address ${JSON.stringify(value)}: ${why}`);
}
