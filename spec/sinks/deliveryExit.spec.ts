/**
 * One exit rule for every output (issue 18): an output that did not deliver everything gets
 * one line on stderr and makes the run exit 1, whichever output it is. The real CLI, real
 * files, real child processes and sockets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combinedLine, runCli, writeLog } from '../helpers/cli.js';
import { freePort } from '../helpers/system.js';

/** 130 s at 15 requests/s: the 2-minute rate passes 10 req/s, the alert fires. */
function alertLog(): string {
  const lines: string[] = [];
  for (let s = 0; s < 130; s++) for (let k = 0; k < 15; k++) lines.push(combinedLine(s, { host: `10.0.2.${k}` }));
  return writeLog(lines);
}

const undeliveredLines = (stderr: string): string[] => stderr.split('\n').filter((l) => /did not succeed|not delivered/.test(l));

test("--once --on-alert 'exit 3' on a log with an alert: one line for the output, exit 1", async () => {
  const { code, stdout, stderr } = await runCli([alertLog(), '--once', '--json', '--on-alert', 'exit 3']);
  assert.equal(code, 1, stderr);
  assert.ok(stdout.includes('"type":"alert"'), 'the alert is in the output all the same');
  assert.deepEqual(undeliveredLines(stderr), [
    'apachescan: on-alert: 1 of 1 alert command(s) did not succeed (1 failed, 0 timed out, 0 dropped)',
  ]);
  assert.match(stderr, /^apachescan: on-alert: 1 command\(s\) run, 1 failed, 0 timed out, 0 dropped$/m);
});

test('--once --on-alert with a command that succeeds: exit 0, no line', async () => {
  const { code, stderr } = await runCli([alertLog(), '--once', '--json', '--on-alert', 'cat > /dev/null']);
  assert.equal(code, 0, stderr);
  assert.deepEqual(undeliveredLines(stderr), []);
});

test('--once --alertmanager at a closed port: one line for the output, exit 1, within the close timeout', async () => {
  const port = await freePort(); // nothing listens there
  const started = performance.now();
  const { code, stderr } = await runCli([alertLog(), '--once', '--json', '--alertmanager', `http://127.0.0.1:${port}`], {
    timeoutMs: 30_000,
  });
  const seconds = (performance.now() - started) / 1000;
  assert.equal(code, 1, stderr);
  assert.match(
    stderr,
    /^apachescan: alertmanager: cannot push to http:\/\/127\.0\.0\.1:\d+\/api\/v2\/alerts \(.*\); retrying with backoff$/m,
  );
  assert.deepEqual(undeliveredLines(stderr), [
    `apachescan: alertmanager: the latest alert state not delivered to http://127.0.0.1:${port}/api/v2/alerts`,
  ]);
  // The pusher tries for its close timeout (5 s) and then gives up: bounded, not a hang.
  assert.ok(seconds < 20, `took ${seconds.toFixed(1)} s`);
});

test('two outputs that did not deliver: one line each, exit 1', async () => {
  const port = await freePort();
  const { code, stderr } = await runCli(
    [alertLog(), '--once', '--json', '--on-alert', 'exit 3', '--alertmanager', `http://127.0.0.1:${port}`],
    { timeoutMs: 30_000 },
  );
  assert.equal(code, 1, stderr);
  assert.equal(undeliveredLines(stderr).length, 2, stderr);
});
