import { isIP } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

/** What the web server serves: the page, its two assets, the live events, and `/metrics` when it has them. */
export type Route = 'page' | 'app.js' | 'app.css' | 'events' | 'metrics';

const ROUTES: Readonly<Record<string, Route>> = {
  '/': 'page',
  '/index.html': 'page',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
  '/events': 'events',
  '/metrics': 'metrics',
};
/** Routes that carry traffic data: behind the token when there is one (the assets hold none). */
const PRIVATE: ReadonlySet<Route> = new Set(['page', 'events', 'metrics']);

/** The server's rules, from where it listens. */
export interface RequestRules {
  /** The port it listens on: a `Host` with another port is refused. */
  readonly port: number;
  /** Host names (lower case) a `Host` header may carry besides IP addresses: localhost, the served name, this machine's name. */
  readonly names: ReadonlySet<string>;
  /** `--serve-token`: required as `Authorization: Bearer TOKEN` or `?token=TOKEN`. */
  readonly token?: string;
  /** Whether `/metrics` is served (Prometheus on the same address). */
  readonly metrics?: boolean;
}

/** The parts of a request the rules look at. */
export interface RequestHead {
  /** The HTTP method. */
  readonly method: string | undefined;
  /** The request target (path and query). */
  readonly url: string | undefined;
  /** The `Host` header. */
  readonly host: string | undefined;
  /** The `Authorization` header. */
  readonly authorization: string | undefined;
}

/** A request let through to a route, or refused with a status, a message and headers. */
export type Verdict =
  | { readonly ok: true; readonly route: Route }
  | { readonly ok: false; readonly status: number; readonly message: string; readonly headers?: Readonly<Record<string, string>> };

/**
 * Decides a request: a `Host` that is not an IP address, localhost or a known name is
 * refused (DNS rebinding: a page of another site whose name resolves here), only GET and HEAD,
 * only the fixed routes (no file path is ever built from the URL), and the token for data.
 */
export function checkRequest(req: RequestHead, rules: RequestRules): Verdict {
  if (!hostAllowed(req.host, rules)) return { ok: false, status: 403, message: 'Forbidden: unknown Host\n' };
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return { ok: false, status: 405, message: 'Method Not Allowed\n', headers: { Allow: 'GET, HEAD' } };
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (route === undefined || (route === 'metrics' && rules.metrics !== true)) return { ok: false, status: 404, message: 'Not Found\n' };
  if (rules.token !== undefined && PRIVATE.has(route) && !tokenGiven(req, q < 0 ? '' : url.slice(q + 1), rules.token)) {
    return {
      ok: false,
      status: 401,
      message: 'Unauthorized: give the token as Authorization: Bearer TOKEN or ?token=TOKEN\n',
      headers: { 'WWW-Authenticate': 'Bearer' },
    };
  }
  return { ok: true, route };
}

/** `Host: name[:port]` or `[v6][:port]`: an IP address or an allowed name, and our port when one is given. */
export function hostAllowed(host: string | undefined, rules: Pick<RequestRules, 'port' | 'names'>): boolean {
  if (host === undefined || host === '') return false;
  let name: string;
  let port: string | undefined;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    name = host.slice(1, close);
    const rest = host.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return false;
    port = rest === '' ? undefined : rest.slice(1);
    if (isIP(name) !== 6) return false;
  } else {
    const colon = host.lastIndexOf(':');
    name = colon < 0 ? host : host.slice(0, colon);
    port = colon < 0 ? undefined : host.slice(colon + 1);
  }
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) !== rules.port)) return false;
  name = name.toLowerCase().replace(/\.$/, '');
  return isIP(name) !== 0 || rules.names.has(name);
}

function tokenGiven(req: RequestHead, query: string, token: string): boolean {
  const auth = req.authorization ?? '';
  const bearer = /^Bearer +(\S+)$/i.exec(auth.trim());
  const given = bearer?.[1] ?? new URLSearchParams(query).get('token') ?? undefined;
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
