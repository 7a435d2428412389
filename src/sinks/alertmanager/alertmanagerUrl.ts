import { SinkError } from '../../errors.js';

/**
 * The API v2 endpoint for an Alertmanager base URL: `http://host:9093` (or with a path
 * prefix, as behind a proxy) -> `http://host:9093/api/v2/alerts`. A URL that already ends
 * in `/api/v2/alerts` is taken as is. Throws `SinkError` (one line) when it is not usable.
 */
export function alertmanagerEndpoint(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SinkError(`invalid Alertmanager URL "${printable(url)}": not a URL (expected e.g. http://127.0.0.1:9093)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new SinkError(`invalid Alertmanager URL "${printable(url)}": the scheme must be http or https`);
  }
  if (u.search !== '' || u.hash !== '') throw new SinkError(`invalid Alertmanager URL "${printable(url)}": no query or fragment expected`);
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = path.endsWith('/api/v2/alerts') ? path : `${path}/api/v2/alerts`;
  return u.toString();
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 200);
}
