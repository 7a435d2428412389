import { SinkError } from '../../errors.js';
import type { Precision } from './lineProtocol.js';

/** Where and how to POST line protocol, derived from the user's URL. */
export interface InfluxTarget {
  /** `v1`: `/write?db=` (InfluxDB 1.x); `v2`: `/api/v2/write?bucket=` (2.x, 3.x, 1.8+). */
  readonly api: 'v1' | 'v2';
  /** The write endpoint with `precision` set; user info moved into a header. */
  readonly writeUrl: string;
  /** The precision the timestamps must be encoded in (the URL's, else `ms`). */
  readonly precision: Precision;
  /** `Authorization` (token or basic) and `Content-Type`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The URL for messages, with passwords and tokens masked. */
  readonly display: string;
}

// The API's spelling -> ours. 1.x reads unknown values (even `us`) as nanoseconds: reject them.
const V1_PRECISION: Readonly<Record<string, Precision>> = { s: 's', ms: 'ms', u: 'us', n: 'ns' };
const V2_PRECISION: Readonly<Record<string, Precision>> = { s: 's', ms: 'ms', us: 'us', ns: 'ns' };
const SECRET_PARAMS = ['p', 'password', 'token'];

/**
 * Validates an InfluxDB write URL up front and throws `SinkError` (one line) when it is not
 * usable. Accepts `http(s)://host:8086/write?db=web` (1.x; `u`/`p`/`rp` pass through),
 * `http(s)://host:8086/api/v2/write?org=o&bucket=b` (2.x/3.x), a path prefix before either
 * (reverse proxy), and a bare `http://host:8086?db=web` / `?bucket=b`. Adds `precision=ms`
 * when missing. `token` is sent as `Authorization: Token <token>` for both APIs.
 */
export function parseInfluxUrl(url: string, token?: string): InfluxTarget {
  const fail: (why: string) => never = (why) => {
    throw new SinkError(`invalid InfluxDB URL "${maskUrlText(url)}": ${why}`);
  };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return fail('not a URL (expected e.g. http://127.0.0.1:8086/write?db=web)');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(`the scheme must be http or https, not ${u.protocol.slice(0, -1)}`);
  u.hash = '';
  const q = u.searchParams;
  const path = u.pathname.replace(/\/$/, '');
  let api: 'v1' | 'v2';
  if (path.endsWith('/write')) {
    api = path.endsWith('/api/v2/write') ? 'v2' : 'v1';
    u.pathname = path;
  } else if (path === '' && (q.has('db') || q.has('bucket'))) {
    api = q.has('bucket') ? 'v2' : 'v1';
    u.pathname = api === 'v2' ? '/api/v2/write' : '/write';
  } else return fail('expected a /write?db=NAME (InfluxDB 1.x) or /api/v2/write?bucket=NAME (2.x, 3.x) endpoint');
  const dbParam = api === 'v1' ? 'db' : 'bucket';
  if (!q.get(dbParam)) fail(`the ${dbParam}= parameter is missing`);
  const table = api === 'v1' ? V1_PRECISION : V2_PRECISION;
  const given = q.get('precision');
  if (given === null) q.set('precision', 'ms');
  const precision = table[q.get('precision') ?? ''];
  if (precision === undefined) fail(`unsupported precision "${given}" (use ${Object.keys(table).join(', ')})`);
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' };
  if (token !== undefined) {
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(token) || token.endsWith(' ')) {
      throw new SinkError('invalid InfluxDB token: expected printable ASCII without leading or trailing spaces');
    }
    headers['Authorization'] = `Token ${token}`;
  } else if (u.username !== '' || u.password !== '') {
    const basic = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    headers['Authorization'] = `Basic ${Buffer.from(basic, 'utf8').toString('base64')}`;
  }
  u.username = '';
  u.password = '';
  return { api, writeUrl: u.toString(), precision, headers, display: maskUrl(u) };
}

function maskUrl(u: URL): string {
  const copy = new URL(u);
  for (const name of SECRET_PARAMS) if (copy.searchParams.has(name)) copy.searchParams.set(name, '***');
  return copy.toString().replace(/%2A%2A%2A/g, '***');
}

/** Masks secrets in text that may not even parse as a URL (for the error message). */
function maskUrlText(text: string): string {
  try {
    const u = new URL(text);
    if (u.password !== '') u.password = '***';
    return maskUrl(u).replace(/%2A%2A%2A/g, '***');
  } catch {
    return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 200);
  }
}
