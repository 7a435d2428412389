import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequest, hostAllowed, type RequestHead, type RequestRules } from '../../../src/sinks/web/requestRules.js';

const RULES: RequestRules = { port: 8080, names: new Set(['localhost', 'monitor.example']) };
const get = (url: string, extra: Partial<RequestHead> = {}): RequestHead => ({
  method: 'GET',
  url,
  host: 'localhost:8080',
  authorization: undefined,
  ...extra,
});
const status = (req: RequestHead, rules: RequestRules = RULES): number => {
  const v = checkRequest(req, rules);
  return v.ok ? 200 : v.status;
};

test('Host: IP addresses, localhost and the known names on our port pass; other names (DNS rebinding), ports and garbage are refused', () => {
  for (const host of [
    'localhost:8080',
    'LOCALHOST:8080',
    'localhost',
    '127.0.0.1:8080',
    '[::1]:8080',
    '[::1]',
    '192.168.1.20:8080',
    'monitor.example:8080',
    'monitor.example.:8080',
  ]) {
    assert.equal(hostAllowed(host, RULES), true, host);
  }
  for (const host of [
    undefined,
    '',
    'evil.example:8080',
    'localhost.evil.example:8080',
    'localhost:8081',
    '127.0.0.1:80',
    '[::1',
    '[evil]:8080',
    'localhost:80a',
    '[::1]x',
    'monitor.example:08080x',
  ]) {
    assert.equal(hostAllowed(host, RULES), false, String(host));
  }
  assert.equal(status(get('/', { host: 'attacker.example:8080' })), 403);
});

test('only GET and HEAD: 405 with Allow', () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', undefined]) {
    const v = checkRequest(get('/', { method }), RULES);
    assert.equal(v.ok ? 200 : v.status, 405, String(method));
    assert.equal(v.ok ? undefined : v.headers?.['Allow'], 'GET, HEAD');
  }
  assert.equal(status(get('/', { method: 'HEAD' })), 200);
});

test('only the fixed routes: traversal, encoded paths and unknown files are 404; /metrics only when served', () => {
  const routes = (url: string): string => {
    const v = checkRequest(get(url), RULES);
    return v.ok ? v.route : String(v.status);
  };
  assert.equal(routes('/'), 'page');
  assert.equal(routes('/?token=x'), 'page');
  assert.equal(routes('/app.js'), 'app.js');
  assert.equal(routes('/app.css'), 'app.css');
  assert.equal(routes('/events'), 'events');
  for (const url of [
    '/../package.json',
    '/..%2f..%2fetc%2fpasswd',
    '/assets/app.js',
    '/app.js/',
    '//app.js',
    '/%2e%2e/x',
    '/etc/passwd',
    '/constructor',
    '/__proto__',
    '/toString',
    '/metrics',
  ]) {
    assert.equal(routes(url), '404', url);
  }
  assert.equal(status(get('/metrics'), { ...RULES, metrics: true }), 200);
});

test('the token: Bearer or ?token= for the page, the events and /metrics; the assets stay public', () => {
  const rules: RequestRules = { ...RULES, token: 's3cret-token', metrics: true };
  for (const url of ['/', '/events', '/metrics']) {
    assert.equal(status(get(url), rules), 401, url);
    assert.equal(status(get(`${url}?token=wrong-token`), rules), 401, url);
    assert.equal(status(get(url, { authorization: 'Bearer wrong' }), rules), 401, url);
    assert.equal(status(get(`${url}?token=s3cret-token`), rules), 200, url);
    assert.equal(status(get(url, { authorization: 'Bearer s3cret-token' }), rules), 200, url);
  }
  assert.equal(status(get('/app.js'), rules), 200);
  const v = checkRequest(get('/'), rules);
  assert.equal(v.ok ? undefined : v.headers?.['WWW-Authenticate'], 'Bearer');
});
