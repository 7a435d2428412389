import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAlertCommand, alertCommandInput } from '../../src/sinks/command/index.js';
import type { AlertEvent } from '../../src/types.js';
import { ROOT, combinedLine, ndjson, runCli, writeLog } from '../helpers/cli.js';
import { startFollower, stopFollowers } from '../helpers/follower.js';
import { ManualScheduler, eventually } from '../helpers/manualScheduler.js';
import { tempDir } from '../helpers/tempDir.js';

/** 2 min at 15 req/s (fires), then 3 min at 1 req/s (recovers). */
function burstLog(): string {
  const lines: string[] = [];
  for (let s = 0; s < 120; s++) for (let k = 0; k < 15; k++) lines.push(combinedLine(s, { host: `10.0.0.${k}` }));
  for (let s = 120; s < 300; s++) lines.push(combinedLine(s));
  return writeLog(lines);
}

after(stopFollowers);

/** `seconds` of 15 requests/s starting `start` s after 2026-01-01 (the 2-minute rate passes 10 req/s after 80 s). */
function burstLines(start: number, seconds: number): string[] {
  const lines: string[] = [];
  for (let s = start; s < start + seconds; s++) for (let k = 0; k < 15; k++) lines.push(combinedLine(s, { host: `10.0.3.${k}` }));
  return lines;
}

const OLD_NEWS =
  /^apachescan: on-alert: alert transitions dated more than 600 s ago are not sent \(catching up on the log's past\); an alert still firing at the end is sent once$/m;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('--on-alert runs the command once per transition, the alert event as JSON on stdin', async () => {
  const dir = tempDir();
  const out = join(dir, 'alerts.ndjson');
  const { code, stdout, stderr } = await runCli([burstLog(), '--once', '--json', '--on-alert', `cat >> '${out}'`, '--alert-max-age', '0']);
  assert.equal(code, 0, stderr);
  const alerts = ndjson(stdout).filter((e) => e['type'] === 'alert');
  assert.deepEqual(
    alerts.map((a) => a['state']),
    ['firing', 'recovered'],
  );
  const received = ndjson(readFileSync(out, 'utf8'));
  assert.deepEqual(
    received.map(({ message: _, ...event }) => event),
    alerts,
    'the same events as the NDJSON output, in order',
  );
  assert.match(String(received[0]?.['message']), /^High traffic generated an alert - hits = \d+, triggered at /);
  assert.match(String(received[1]?.['message']), /^Traffic recovered - hits = \d+, recovered at /);
  assert.match(stderr, /^apachescan: on-alert: 2 command\(s\) run, 0 failed, 0 timed out, 0 dropped$/m);
});

test('a failing --on-alert command: one escaped line per failure on stderr, counted, the output goes on', async () => {
  const command = `printf 'bad\\033[2J\\nthing' >&2; exit 3`;
  const { code, stdout, stderr } = await runCli([burstLog(), '--once', '--json', '--on-alert', command, '--alert-max-age', '0']);
  assert.equal(code, 1, 'an alert not delivered: exit 1');
  assert.equal(ndjson(stdout).filter((e) => e['type'] === 'alert').length, 2);
  const failures = stderr.split('\n').filter((l) => l.includes('failed (exit code 3)'));
  assert.equal(failures.length, 2, stderr);
  assert.match(
    failures[0] ?? '',
    /^apachescan: on-alert: command for the firing alert at 2026-01-01T00:0\d:\d0Z failed \(exit code 3\): bad\\x1b\[2J\\x0athing$/,
  );
  assert.doesNotMatch(stderr, /\u001b/);
  assert.match(stderr, /on-alert: 2 command\(s\) run, 2 failed, 0 timed out, 0 dropped$/m);
});

test('--on-alert-timeout kills the command and everything it started', async () => {
  const dir = tempDir();
  const pids = join(dir, 'pids');
  const command = `echo $$ >> '${pids}'; sleep 600 & echo $! >> '${pids}'; wait`;
  const { code, stderr } = await runCli([
    burstLog(),
    '--once',
    '--json',
    '--on-alert',
    command,
    '--on-alert-timeout',
    '0.2',
    '--alert-max-age',
    '0',
  ]);
  assert.equal(code, 1, 'an alert not delivered: exit 1');
  assert.match(stderr, /on-alert: command for the firing alert at \S+ killed after 0\.2 s$/m);
  assert.match(stderr, /on-alert: 2 command\(s\) run, 0 failed, 2 timed out, 0 dropped$/m);
  const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
  assert.equal(started.length, 4);
  await eventually(() => started.every((pid) => !alive(pid)), `processes ${started.join(', ')} to end`);
});

const alertAt = (i: number): AlertEvent => ({
  type: 'alert',
  state: i % 2 === 0 ? 'firing' : 'recovered',
  at: Date.UTC(2026, 0, 1) + i * 10_000,
  hits: i,
  rate: i / 10,
  threshold: 1,
});

test('consume never waits for the command: the queue is bounded, the oldest dropped and counted', async () => {
  const scheduler = new ManualScheduler();
  const warnings: string[] = [];
  const dir = tempDir();
  const seen = join(dir, 'seen');
  const runner = createAlertCommand({
    command: `cat >> '${seen}'; sleep 600`,
    timeout: 60_000,
    maxQueued: 2,
    closeTimeout: 5000,
    scheduler,
    onWarning: (m) => warnings.push(m),
  });
  for (let i = 0; i < 6; i++) runner.next(alertAt(i));
  runner.next({ type: 'summary', lines: 0, parsed: 0, invalid: 0, late: 0 });
  // One runs (the first), two wait, three were dropped (the oldest waiting ones).
  assert.deepEqual(runner.stats(), { run: 1, succeeded: 0, failed: 0, timedOut: 0, dropped: 3, queued: 2 });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /more than 2 waiting, dropping the oldest/);
  await eventually(() => existsSync(seen) && readFileSync(seen, 'utf8').endsWith('\n'), 'the first command to read its input');
  assert.equal(readFileSync(seen, 'utf8'), alertCommandInput(alertAt(0)));
  // The timeout (virtual time) kills the first run; the next in the queue starts: alert 4.
  await scheduler.advance(60_000);
  await eventually(() => runner.stats().timedOut === 1 && runner.stats().run === 2, 'the first run to be killed and the next to start');
  await eventually(() => readFileSync(seen, 'utf8').split('\n').length === 3, 'the second command to read its input');
  assert.equal(readFileSync(seen, 'utf8'), alertCommandInput(alertAt(0)) + alertCommandInput(alertAt(4)));
  // close() waits up to closeTimeout, then kills the running one (a timeout too) and counts the
  // queued as dropped; it resolves once the killed run is counted.
  const closed = runner.close();
  await scheduler.advance(5000);
  await closed;
  assert.deepEqual(runner.stats(), { run: 2, succeeded: 0, failed: 0, timedOut: 2, dropped: 4, queued: 0 });
  await eventually(() => scheduler.pending === 0, 'the killed run to release its timer');
});

test('close() waits for queued commands that finish in time', async () => {
  const scheduler = new ManualScheduler();
  const dir = tempDir();
  const seen = join(dir, 'seen');
  const runner = createAlertCommand({ command: `cat >> '${seen}'`, scheduler });
  for (let i = 0; i < 3; i++) runner.next(alertAt(i));
  await runner.close();
  assert.deepEqual(runner.stats(), { run: 3, succeeded: 3, failed: 0, timedOut: 0, dropped: 0, queued: 0 });
  assert.equal(readFileSync(seen, 'utf8'), [0, 1, 2].map((i) => alertCommandInput(alertAt(i))).join(''));
  assert.equal(scheduler.pending, 0);
});

test('following an old log from its top (no checkpoint): the old transitions are printed, and no command runs for them', async () => {
  const out = join(tempDir(), 'oa.out');
  const follower = startFollower([join(ROOT, 'samples', 'access.log'), '--json', '--no-checkpoint', '--on-alert', `cat >> '${out}'`]);
  try {
    await follower.waitFor('the October recovery', () => follower.events.some((e) => e['type'] === 'alert' && e['state'] === 'recovered'));
  } finally {
    assert.equal((await follower.stop('SIGTERM')).code, 0, follower.stderr());
  }
  assert.deepEqual(
    follower.events.filter((e) => e['type'] === 'alert').map((e) => e['state']),
    ['firing', 'recovered'],
    'the outputs print every transition',
  );
  assert.equal(existsSync(out), false, 'no command ran');
  assert.match(follower.stderr(), OLD_NEWS);
  assert.match(follower.stderr(), /^apachescan: on-alert: 0 command\(s\) run, 0 failed, 0 timed out, 0 dropped$/m);
});

test('--once on an old log: a burst that recovered runs nothing; one still firing at the end runs once, with its own time', async () => {
  const out = join(tempDir(), 'oa.out');
  const recovered = await runCli([burstLog(), '--once', '--json', '--on-alert', `cat >> '${out}'`]);
  assert.equal(recovered.code, 0, recovered.stderr);
  assert.equal(ndjson(recovered.stdout).filter((e) => e['type'] === 'alert').length, 2);
  assert.equal(existsSync(out), false, 'no command ran');
  assert.match(recovered.stderr, OLD_NEWS);

  const firing = await runCli([writeLog(burstLines(0, 130)), '--once', '--json', '--on-alert', `cat >> '${out}'`]);
  assert.equal(firing.code, 0, firing.stderr);
  const alerts = ndjson(firing.stdout).filter((e) => e['type'] === 'alert');
  assert.deepEqual(
    alerts.map((e) => e['state']),
    ['firing'],
  );
  const received = ndjson(readFileSync(out, 'utf8'));
  assert.deepEqual(
    received.map(({ message: _, ...event }) => event),
    alerts,
    'the firing transition, with its own time',
  );
  assert.match(firing.stderr, /^apachescan: on-alert: 1 command\(s\) run, 0 failed, 0 timed out, 0 dropped$/m);
});

test('a transition dated now runs the command once', async () => {
  const out = join(tempDir(), 'oa.out');
  // 130 s of 15 requests/s ending 10 s ago: it fires about 50 s ago, by the clock.
  const start = Math.floor((Date.now() - Date.UTC(2026, 0, 1)) / 1000) - 140;
  const { code, stdout, stderr } = await runCli([writeLog(burstLines(start, 130)), '--once', '--json', '--on-alert', `cat >> '${out}'`]);
  assert.equal(code, 0, stderr);
  const alerts = ndjson(stdout).filter((e) => e['type'] === 'alert');
  assert.deepEqual(
    alerts.map((e) => e['state']),
    ['firing'],
  );
  assert.deepEqual(
    ndjson(readFileSync(out, 'utf8')).map(({ message: _, ...event }) => event),
    alerts,
  );
  assert.doesNotMatch(stderr, /not sent/);
});
