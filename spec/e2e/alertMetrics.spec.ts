import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine } from '../helpers/cli.js';
import { startFollower, stopFollowers } from '../helpers/follower.js';
import { freePort } from '../helpers/system.js';
import { byLabel, parseExposition } from '../helpers/prometheusServer.js';
import { tempDir } from '../helpers/tempDir.js';

after(stopFollowers);

test('--prometheus shows the alert sinks counts: commands by outcome, Alertmanager pushes by outcome', async () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const burst: string[] = [];
  for (let s = 0; s < 130; s++) for (let k = 0; k < 15; k++) burst.push(combinedLine(s, { host: `10.0.2.${k}` }));
  writeFileSync(log, burst.map((l) => `${l}\n`).join(''));
  const [metricsPort, deadPort, otherPort] = [await freePort(), await freePort(), await freePort()];
  const follower = startFollower([
    log,
    '--json',
    '--no-checkpoint',
    '--prometheus',
    `127.0.0.1:${metricsPort}`,
    '--on-alert',
    'exit 1',
    '--alertmanager',
    `http://127.0.0.1:${deadPort}`,
    '--alertmanager',
    `http://127.0.0.1:${otherPort}`,
    '--alert-max-age',
    '0',
  ]);
  const failures = (): number =>
    follower
      .stderr()
      .split('\n')
      .filter((l) => l.includes('failed (exit code 1)')).length;
  try {
    await follower.waitFor('the first command to fail', () => failures() === 1, 20_000);
    appendFileSync(log, `${combinedLine(430)}\n`);
    await follower.waitFor('the second command to fail', () => failures() === 2, 20_000);
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const samples = parseExposition(text);
    assert.deepEqual(byLabel(samples, 'apachescan_alert_commands_total', 'outcome'), { succeeded: 0, failed: 2, timed_out: 0, dropped: 0 });
    // One series per receiver, told apart by its url.
    for (const port of [deadPort, otherPort]) {
      const url = `http://127.0.0.1:${port}/api/v2/alerts`;
      const pushes = byLabel(
        samples.filter((x) => x.labels['url'] === url),
        'apachescan_alertmanager_pushes_total',
        'outcome',
      );
      assert.equal(pushes['sent'], 0, url);
      assert.equal(pushes['rejected'], 0, url);
      assert.ok((pushes['failed'] ?? 0) >= 1, `${url}: ${JSON.stringify(pushes)}`);
    }
    assert.equal(samples.filter((x) => x.name === 'apachescan_alertmanager_pushes_total').length, 6, 'two receivers, three outcomes');
    assert.match(text, /# TYPE apachescan_alert_commands_total counter/);
  } finally {
    await follower.stop('SIGTERM');
  }
});
