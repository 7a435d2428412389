/**
 * The rules of `--serve` over plain HTTP against a real apachescan: a replay (`--once`) that
 * keeps serving until Ctrl-C, with a token and Prometheus on the same port. Host (DNS
 * rebinding), methods, traversal, the token, the bound on live pages, the headers, and the
 * warning for a non-loopback address.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { startFollower, stopFollowers } from '../helpers/follower.js';
import { freePort } from '../helpers/system.js';

after(() => stopFollowers());

const SAMPLE = join(ROOT, 'samples', 'access.log');
const TOKEN = 'test-token-1234';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request with exactly these path and headers (no URL normalisation on the way). */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; keep?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (res) => {
        if (options.keep === true) return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('--serve rules: Host, GET/HEAD only, fixed routes, the token, 503 beyond 16 live pages, /metrics on the same port', {
  timeout: 120_000,
}, async () => {
  const port = await freePort();
  const f = startFollower([
    SAMPLE,
    '--once',
    '--json',
    '--serve',
    `127.0.0.1:${port}`,
    '--serve-token',
    TOKEN,
    '--prometheus',
    `127.0.0.1:${port}`,
  ]);
  await f.waitFor('the replay to end and the page to stay', () => f.stderr().includes('stays up until Ctrl-C'), 60_000);
  const auth = { Authorization: `Bearer ${TOKEN}` };
  try {
    // The page: with the token only; a policy that runs no inline script.
    assert.equal((await send(port, '/')).status, 401);
    const page = await send(port, `/?token=${TOKEN}`);
    assert.equal(page.status, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.match(page.body, /<script src="app.js" defer><\/script>/);
    assert.equal((await send(port, '/app.js')).status, 200, 'the assets hold no data: no token');
    // DNS rebinding: another name for this address is refused; localhost and IP addresses pass.
    assert.equal((await send(port, '/', { headers: { ...auth, Host: `attacker.example:${port}` } })).status, 403);
    assert.equal((await send(port, '/', { headers: { ...auth, Host: `localhost:${port}` } })).status, 200);
    assert.equal((await send(port, '/', { headers: { ...auth, Host: `127.0.0.1:${port + 1}` } })).status, 403);
    // Methods.
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const r = await send(port, '/', { method, headers: auth });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers['allow'], 'GET, HEAD');
    }
    const head = await send(port, '/', { method: 'HEAD', headers: auth });
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    // Nothing but the page's own files.
    for (const path of [
      '/../package.json',
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/app.js',
      '/src/index.ts',
      '/etc/passwd',
      '/app.js.map',
    ]) {
      assert.equal((await send(port, path, { headers: auth })).status, 404, path);
    }
    // Prometheus on the same address: /metrics here, behind the token too.
    assert.equal((await send(port, '/metrics')).status, 401);
    const metrics = await send(port, '/metrics', { headers: auth });
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /apachescan_alert_threshold_requests_per_second 10/);
    // The live stream: the retained past first, bounded in clients.
    const events = await send(port, `/events?token=${TOKEN}`, { keep: true });
    assert.equal(events.status, 200);
    assert.match(String(events.headers['content-type']), /text\/event-stream/);
    for (let i = 1; i < 16; i++) assert.equal((await send(port, `/events?token=${TOKEN}`, { keep: true })).status, 200, `client ${i + 1}`);
    assert.equal((await send(port, `/events?token=${TOKEN}`, { keep: true })).status, 503, 'the 17th live page');
    const exit = await f.stop('SIGINT');
    assert.equal(exit.code, 0, f.stderr());
  } finally {
    await f.stop('SIGKILL');
  }
});

test('--serve on a non-loopback address warns on stderr; bad values are one line and exit 2', { timeout: 60_000 }, async () => {
  const f = startFollower([SAMPLE, '--once', '--json', '--serve', '0.0.0.0:0']);
  await f.waitFor('the warning', () => f.stderr().includes('stays up until Ctrl-C'), 60_000);
  assert.match(
    f.stderr(),
    /warning: the web page listens on 0\.0\.0\.0:\d+, reachable from other machines by anyone \(give --serve-token\)/,
  );
  assert.equal((await f.stop('SIGINT')).code, 0);
  // Standard input that ends: the page stays up too, until Ctrl-C.
  const stdin = startFollower(['-', '--json', '--serve', '127.0.0.1:0']);
  await stdin.waitFor('the page of standard input to stay', () =>
    stdin.stderr().includes('input done; the web page stays up until Ctrl-C'),
  );
  assert.equal((await stdin.stop('SIGINT')).code, 0);
  for (const args of [
    ['--serve', 'nope'],
    ['--serve', '70000'],
    ['--serve-token', 'abcdefghij'],
    ['--serve', '8080', '--serve-token', 'short'],
    ['--report', '/no/such/dir/r.html'],
  ]) {
    const bad = startFollower([SAMPLE, '--once', ...args]);
    const exit = await bad.exit;
    assert.equal(exit.code, 2, args.join(' '));
    assert.equal(bad.stderr().trim().split('\n').length, 1, bad.stderr());
  }
});
