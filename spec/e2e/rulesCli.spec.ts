/**
 * Alert rules end to end through the CLI: --rule and a config file, every output naming the
 * rule, a restart in the middle of a firing period (kill -9 and SIGTERM, with --checkpoint)
 * without a repeat or a loss, the backtest, and Alertmanager and InfluxDB with the real servers.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine, ndjson, runCli } from '../helpers/cli.js';
import { startFollower, stopFollowers, waitUntil, type Event, type Follower } from '../helpers/follower.js';
import { RULE_LOG_FORMAT, T0, generateRequests, lineOf, referenceTransitions } from '../helpers/ruleLog.js';
import { tempDir } from '../helpers/tempDir.js';
import { freePort } from '../helpers/system.js';
import { alertmanagerTestOptions, startAlertmanager } from '../helpers/alertmanagerServer.js';
import { influxdAvailable, startInfluxServer } from '../helpers/influxServer.js';
import { parseRule } from '../../src/core/rules/parseRule.js';

after(stopFollowers);

const RULES = ['errors: 5xx > 10% over 1m min 20 recover < 5%', 'slow: p95 > 500ms over 1m', 'heavy: bytes > 200kB/s over 1m'];
const ruleArgs = RULES.flatMap((r) => ['--rule', r]);
const ANALYSIS = ['--format', RULE_LOG_FORMAT, '--lateness', '0', ...ruleArgs];

function writeRuleLog(dir: string, until = Infinity, from = -Infinity): string {
  const log = join(dir, 'access.log');
  const lines = generateRequests()
    .filter((r) => r.time >= from && r.time < until)
    .map((r, k) => `${lineOf(r, k)}\n`)
    .join('');
  if (from === -Infinity) writeFileSync(log, lines);
  else appendFileSync(log, lines);
  return log;
}

const reports = (events: readonly Event[]): Event[] => events.filter((e) => e['type'] === 'stats' || e['type'] === 'alert');
const key = (e: Event): string => (e['type'] === 'stats' ? `stats ${e['start']}` : `alert ${e['rule'] ?? ''} ${e['state']} ${e['at']}`);

test("--once: each rule's transitions at the intervals the reference says, named in NDJSON and in text; the built-in messages unchanged", async () => {
  const dir = tempDir();
  const log = writeRuleLog(dir);
  const requests = generateRequests();
  const json = await runCli([log, '--once', '--json', ...ANALYSIS, '--threshold', '2']);
  assert.equal(json.code, 0, json.stderr);
  const events = ndjson(json.stdout);
  const last = Date.parse(String(events.filter((e) => e['type'] === 'stats').at(-1)?.['end']));
  for (const text of RULES) {
    const rule = parseRule(text);
    const got = events
      .filter((e) => e['type'] === 'alert' && e['rule'] === rule.name)
      .map((e) => ({ at: Date.parse(String(e['at'])), state: e['state'] }));
    assert.deepEqual(got, referenceTransitions(rule, requests, last), rule.name);
    assert.ok(got.length >= 2, `${rule.name} fires and recovers`);
  }
  const fired = events.find((e) => e['type'] === 'alert' && e['rule'] === 'errors') ?? {};
  assert.equal(fired['kind'], 'errors');
  assert.equal(typeof fired['value'], 'number');
  const builtin = events.filter((e) => e['type'] === 'alert' && e['rule'] === undefined);
  assert.ok(builtin.length >= 1, 'the built-in alert fires too (threshold 2/s)');
  assert.ok(
    builtin.every((e) => !('rule' in e) && !('value' in e)),
    'the built-in alert event has no rule',
  );
  const stats = events.find((e) => e['type'] === 'stats') ?? {};
  assert.deepEqual(
    (stats['rules'] as Event[]).map((r) => r['rule']),
    ['errors', 'slow', 'heavy'],
  );

  const text = await runCli([log, '--once', ...ANALYSIS, '--threshold', '2']);
  const b = builtin[0] as Event;
  assert.ok(
    text.stdout.includes(`High traffic generated an alert - hits = ${String(b['hits'])}, triggered at ${String(b['at'])}\n`),
    'the built-in wording, exactly',
  );
  assert.match(text.stdout, /^Rule errors fired - [\d.]+% > 10% \(\d+ requests\), triggered at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  assert.match(text.stdout, /^Rule slow recovered - [\d.]+ ms <= 500 ms \(\d+ requests\), recovered at /m);
});

test('--backtest: per rule the firing periods with their peaks; --json one object that agrees with the events', async () => {
  const dir = tempDir();
  const log = writeRuleLog(dir);
  const events = ndjson((await runCli([log, '--once', '--json', ...ANALYSIS])).stdout);
  const result = await runCli([log, '--once', '--backtest', '--json', ...ANALYSIS]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const report = JSON.parse(lines[0] as string) as {
    alerts: {
      name: string;
      fired: number;
      firingSeconds: number;
      longestSeconds: number;
      periods: { from: string; to: string; seconds: number; peak: number }[];
    }[];
  };
  assert.deepEqual(
    report.alerts.map((a) => a.name),
    ['traffic', 'errors', 'slow', 'heavy'],
  );
  for (const a of report.alerts.slice(1)) {
    const fired = events.filter((e) => e['type'] === 'alert' && e['rule'] === a.name && e['state'] === 'firing').map((e) => e['at']);
    const recovered = events.filter((e) => e['type'] === 'alert' && e['rule'] === a.name && e['state'] === 'recovered').map((e) => e['at']);
    assert.equal(a.fired, fired.length, a.name);
    assert.deepEqual(
      a.periods.map((p) => p.from),
      fired,
    );
    assert.deepEqual(
      a.periods.map((p) => p.to),
      recovered,
    );
    assert.equal(
      a.firingSeconds,
      a.periods.reduce((s, p) => s + p.seconds, 0),
    );
    assert.equal(a.longestSeconds, Math.max(...a.periods.map((p) => p.seconds)));
    // The peak: the highest value of the rule over the intervals of the period (its firing included).
    for (const p of a.periods) {
      const values = events
        .filter((e) => e['type'] === 'stats' && String(e['end']) >= p.from && String(e['end']) < p.to)
        .map((e) => ((e['rules'] as Event[]).find((r) => r['rule'] === a.name)?.['value'] as number) ?? -Infinity);
      assert.equal(p.peak, Math.max(...values), `${a.name} peak`);
    }
  }
  const text = await runCli([log, '--once', '--backtest', ...ANALYSIS]);
  assert.match(text.stdout, /^errors {2}5xx > 10% over 1m min 20 recover 5%: fired (once|\d+ times), firing .+ in all, longest .+$/m);
  assert.match(text.stdout, /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d – \d\d:\d\d:\d\d UTC {2}.+ {2}peak [\d.]+ ms$/m);
});

test('bad rules: one line, exit 2', async () => {
  const dir = tempDir();
  const log = writeRuleLog(dir);
  const cases: [string[], RegExp][] = [
    [
      ['--once', '--rule', 'slow: p95 > 500ms over 1m'],
      /^apachescan: rule slow: p95 needs request durations, but the log format has no %D or %T/,
    ],
    [
      ['--once', '--format', RULE_LOG_FORMAT, '--rule', 'e: 5xx > 5% over 15s'],
      /^apachescan: rule e: its window \(15 s\) must be a multiple of --interval \(10 s\)/,
    ],
    [['--once', '--rule', 'e: 5xx > five over 1m'], /^apachescan: rule "e: 5xx > five over 1m": cannot read the share "five"/],
    [['--backtest'], /^apachescan: --backtest reads the logs to their end: add --once/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli([log, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      format: RULE_LOG_FORMAT,
      rules: ['errors: 5xx > 10% over 1m', { name: 'x', kind: 'latency', window: 60_000, threshold: 0.5 }],
    }),
  );
  const r = await runCli([log, '--once', '--config', config]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^apachescan: rule x: a latency rule needs a quantile between 0 and 1\n$/);
});

test("a config file's rules (strings and objects) work like --rule; a --rule of the same name replaces one", async () => {
  const dir = tempDir();
  const log = writeRuleLog(dir);
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      format: RULE_LOG_FORMAT,
      lateness: 0,
      rules: [RULES[0], { name: 'slow', kind: 'latency', window: 60_000, threshold: 0.5, quantile: 0.95 }],
    }),
  );
  const fromConfig = await runCli([log, '--once', '--json', '--config', config]);
  const fromFlags = await runCli([
    log,
    '--once',
    '--json',
    '--format',
    RULE_LOG_FORMAT,
    '--lateness',
    '0',
    '--rule',
    RULES[0] as string,
    '--rule',
    RULES[1] as string,
  ]);
  assert.equal(fromConfig.code, 0, fromConfig.stderr);
  assert.equal(fromConfig.stdout, fromFlags.stdout);
  const replaced = await runCli([log, '--once', '--json', '--config', config, '--rule', 'slow: p95 > 10s over 1m']);
  assert.equal(ndjson(replaced.stdout).filter((e) => e['rule'] === 'slow').length, 0);
});

/**
 * Follows the first part of the log (up to the middle of the incident), stops the follower
 * with `signal` once a rule fired, appends the rest, and follows again: the reports of both
 * runs (less the one a kill -9 may leave in flight) are a replay's, each transition once.
 */
/** How many rules a checkpoint file says are firing (0 when there is none yet, or it is being replaced). */
function savedFiring(path: string): number {
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { rules?: { firing: boolean }[] };
    return (saved.rules ?? []).filter((r) => r.firing).length;
  } catch {
    return 0;
  }
}

async function restartWhileFiring(signal: NodeJS.Signals): Promise<void> {
  const dir = tempDir();
  const split = T0 + 255_000; // in the incident (200-300 s): errors and slow fire before it
  const log = writeRuleLog(dir, split);
  const args = [log, '--json', ...ANALYSIS, '--checkpoint', join(dir, 'cp.json'), '--idle-timeout', '3600'];
  const first = startFollower(args);
  await first.waitFor('the errors rule firing', () => first.events.some((e) => e['rule'] === 'errors' && e['state'] === 'firing'));
  await first.waitFor('the slow rule firing', () => first.events.some((e) => e['rule'] === 'slow' && e['state'] === 'firing'));
  // A kill -9 loses what was not saved: wait until the checkpoint holds the rules firing (so the restart resumes mid-period).
  await waitUntil('a checkpoint with both rules firing', () => savedFiring(join(dir, 'cp.json')) >= 2, 30_000);
  const exit = await first.stop(signal);
  assert.equal(signal === 'SIGKILL' ? exit.signal : exit.code, signal === 'SIGKILL' ? 'SIGKILL' : 0, first.stderr());
  writeRuleLog(dir, Infinity, split);
  // A line far ahead closes every window of the log by the data (the last one waits for it).
  appendFileSync(log, `${lineOf({ time: T0 + 3_600_000, section: '/home', status: 200, bytes: 1, duration: 0.1 })}\n`);
  const second: Follower = startFollower(args);
  const replay = ndjson((await runCli([log, '--once', '--json', ...ANALYSIS])).stdout).filter(
    (e) => e['type'] === 'stats' || e['type'] === 'alert',
  );
  const lastStart = replay.filter((e) => e['type'] === 'stats' && Date.parse(String(e['start'])) < T0 + 600_000).at(-1)?.['start'];
  await second.waitFor(
    'the last interval of the log',
    () => second.events.some((e) => e['type'] === 'stats' && e['start'] === lastStart),
    30_000,
  );
  await second.stop('SIGTERM');
  const before = reports(first.events);
  let after = reports(second.events);
  // kill -9 may land after a report was written but before the checkpoint counted it: one repeat, unchanged.
  if (signal === 'SIGKILL' && after.length > 0 && key(after[0] as Event) === key(before.at(-1) as Event)) after = after.slice(1);
  const all = [...before, ...after];
  const keys = all.map(key);
  assert.equal(new Set(keys).size, keys.length, `no report twice: ${keys.filter((k, i) => keys.indexOf(k) !== i).join(', ')}`);
  const expected = replay.slice(0, all.length);
  assert.deepEqual(all, expected, 'the same reports as a replay, in order');
  for (const name of ['errors', 'slow']) {
    const transitions = all.filter((e) => e['rule'] === name).map((e) => e['state']);
    assert.deepEqual(transitions.slice(0, 2), ['firing', 'recovered'], `${name}: fired before the stop, recovered after it, once each`);
    assert.ok(
      before.some((e) => e['rule'] === name && e['state'] === 'firing') &&
        after.some((e) => e['rule'] === name && e['state'] === 'recovered'),
    );
  }
}

test('restart in the middle of a firing period, kill -9: no transition repeated or lost', async () => {
  await restartWhileFiring('SIGKILL');
});

test('restart in the middle of a firing period, SIGTERM: no transition repeated or lost', async () => {
  await restartWhileFiring('SIGTERM');
});

test(
  "real Alertmanager: a rule's alert as alertname=<rule> with its labels, beside the built-in one; resolved on recovery",
  alertmanagerTestOptions(),
  async () => {
    const am = await startAlertmanager({ port: await freePort() });
    try {
      const dir = tempDir();
      const log = join(dir, 'access.log');
      // 150 s at 15 req/s, a third of them 503: the built-in alert and the rule fire and stay firing.
      const lines: string[] = [];
      for (let s = 0; s < 150; s++)
        for (let k = 0; k < 15; k++) lines.push(combinedLine(s, { host: `10.0.2.${k}`, status: k % 3 === 0 ? 503 : 200 }));
      writeFileSync(log, lines.map((l) => `${l}\n`).join(''));
      const args = [
        log,
        '--json',
        '--no-checkpoint',
        '--alertmanager',
        am.url,
        '--alert-max-age',
        '0',
        '--rule',
        'unavailable: 503 > 20% over 1m labels severity=page,team=web',
      ];
      const follower = startFollower(args);
      await follower.waitFor('the rule firing', () => follower.events.some((e) => e['rule'] === 'unavailable' && e['state'] === 'firing'));
      const alerts = await am.waitForAlerts(
        'both alerts',
        (list) =>
          list.some((a) => a.labels['alertname'] === 'unavailable') && list.some((a) => a.labels['alertname'] === 'ApachescanHighTraffic'),
        60_000,
      );
      const rule = alerts.find((a) => a.labels['alertname'] === 'unavailable');
      assert.equal(rule?.labels['severity'], 'page');
      assert.equal(rule?.labels['team'], 'web');
      assert.equal(rule?.labels['job'], 'apachescan', "the monitor's own labels too");
      assert.match(rule?.annotations['summary'] ?? '', /^Rule unavailable fired - 33\.\d+% > 20% /);
      // Quiet traffic 5 minutes later: both recover and resolve.
      appendFileSync(log, `${combinedLine(450)}\n`);
      await follower.waitFor('the rule recovering', () =>
        follower.events.some((e) => e['rule'] === 'unavailable' && e['state'] === 'recovered'),
      );
      await am.waitForAlerts(
        'both resolved',
        (list) => !list.some((a) => a.labels['alertname'] === 'unavailable' || a.labels['alertname'] === 'ApachescanHighTraffic'),
        60_000,
      );
      await follower.stop('SIGTERM');
    } finally {
      await am.stop();
    }
  },
);

test("real InfluxDB: each rule's value, threshold and state per interval; its transitions tagged with the rule", {
  skip: influxdAvailable() ? false : 'influxd not installed',
}, async () => {
  const server = await startInfluxServer();
  try {
    const dir = tempDir();
    const log = writeRuleLog(dir);
    const r = await runCli([log, '--once', '--json', ...ANALYSIS, '--influx', `${server.url}/write?db=web`]);
    assert.equal(r.code, 0, r.stderr);
    const events = ndjson(r.stdout);
    const stats = events.filter((e) => e['type'] === 'stats');
    const rows = await server.rows(`SELECT "value", "threshold", "firing" FROM "apachescan_rule" WHERE "rule" = 'errors'`);
    assert.equal(rows.length, stats.length, 'one point per interval');
    for (const row of rows) {
      const s = stats.find((e) => Date.parse(String(e['end'])) / 1000 === row['time']);
      const v = (s?.['rules'] as Event[] | undefined)?.[0];
      assert.equal(row['value'], v?.['value'] ?? null);
      assert.equal(row['firing'], v?.['firing'] === true ? 1 : 0);
      assert.equal(row['threshold'], 0.1);
    }
    const alerts = await server.rows(`SELECT "value", "state" FROM "apachescan_alert" WHERE "rule" = 'slow'`);
    assert.deepEqual(
      alerts.map((a) => [a['time'], a['state']]),
      events.filter((e) => e['rule'] === 'slow').map((e) => [Date.parse(String(e['at'])) / 1000, e['state']]),
    );
  } finally {
    await server.stop();
  }
});
