import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine, ndjson, runCli, writeLog } from '../helpers/cli.js';
import { tempDir } from '../helpers/tempDir.js';

/** 2 minutes at 15 requests/s: fires at the default threshold (10), not at 20. */
function burstLog(): string {
  const lines: string[] = [];
  for (let s = 0; s < 150; s++) for (let k = 0; k < 15; k++) lines.push(combinedLine(s, { host: `10.0.0.${k}` }));
  return writeLog(lines);
}

function configFile(content: string): string {
  const path = join(tempDir(), 'apachescan.json');
  writeFileSync(path, content);
  return path;
}

const thresholds = (stdout: string): unknown[] =>
  ndjson(stdout)
    .filter((e) => e['type'] === 'alert')
    .map((e) => e['threshold']);

test('--config: options from a JSON file, by their command-line names', async () => {
  const log = burstLog();
  const config = configFile(JSON.stringify({ file: log, once: true, output: 'json', threshold: 20, 'alert-window': 60 }));
  const { code, stdout, stderr } = await runCli(['--config', config]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(thresholds(stdout), [], 'threshold 20 from the file: no alert');
  assert.equal(ndjson(stdout).at(-1)?.['type'], 'summary');
  const fired = await runCli(['--config', configFile(JSON.stringify({ file: log, once: true, json: true, 'alert-window': 60 }))]);
  assert.deepEqual(thresholds(fired.stdout), [10], 'the same file without the threshold fires at the default');
});

test('precedence: command line, then APACHESCAN_* environment, then the config file', async () => {
  const log = burstLog();
  const config = configFile(JSON.stringify({ once: true, json: true, threshold: 20 }));
  const fromFile = await runCli([log, '--config', config]);
  assert.deepEqual(thresholds(fromFile.stdout), []);
  const fromEnv = await runCli([log, '--config', config], { env: { APACHESCAN_THRESHOLD: '12' } });
  assert.deepEqual(thresholds(fromEnv.stdout), [12], 'the environment beats the file');
  const fromCli = await runCli([log, '--config', config, '--threshold', '11'], { env: { APACHESCAN_THRESHOLD: '12' } });
  assert.deepEqual(thresholds(fromCli.stdout), [11], 'the command line beats both');
  const envOnly = await runCli([log], { env: { APACHESCAN_CONFIG: config, APACHESCAN_ALERT_WINDOW: '60', APACHESCAN_THRESHOLD: '13' } });
  assert.equal(envOnly.code, 0, envOnly.stderr);
  assert.deepEqual(thresholds(envOnly.stdout), [13], 'APACHESCAN_CONFIG names the file');
});

test('an APACHESCAN_* variable that names no option is ignored with a warning', async () => {
  const { code, stdout, stderr } = await runCli([burstLog(), '--once', '--json'], { env: { APACHESCAN_THRESHOLDD: '5' } });
  assert.equal(code, 0);
  assert.deepEqual(thresholds(stdout), [10]);
  assert.match(stderr, /^apachescan: ignoring APACHESCAN_THRESHOLDD: no option --thresholdd$/m);
});

const configErrors: [string, () => string, RegExp][] = [
  ['missing file', () => join(tempDir(), 'none.json'), /^apachescan: cannot read config file \S+none\.json: no such file\n$/],
  ['a directory', () => tempDir(), /^apachescan: cannot read config file \S+: is a directory\n$/],
  ['not JSON', () => configFile('{"threshold": 20,'), /^apachescan: config file \S+ is not valid JSON: .+\n$/],
  ['not an object', () => configFile('[1, 2]'), /^apachescan: config file \S+ must hold a JSON object of options\n$/],
  ['unknown option', () => configFile('{"treshold": 20}'), /^apachescan: config file \S+: unknown option "treshold"\n$/],
  [
    'nested value',
    () => configFile('{"threshold": {"value": 20}}'),
    /^apachescan: config file \S+: "threshold" must be a string, number, boolean or a list of them\n$/,
  ],
  ['bad value', () => configFile('{"threshold": "lots"}'), /^apachescan: --threshold must be a number, got 'lots'\n$/],
  [
    'a yes/no option given a word',
    () => configFile('{"once": "maybe"}'),
    /^apachescan: config file \S+: "once" must be true or false, got "maybe"\n$/,
  ],
  [
    'a yes/no option given a number',
    () => configFile('{"once": 2}'),
    /^apachescan: config file \S+: "once" must be true or false, got 2\n$/,
  ],
];

test('a yes/no option in the config file: true/false, or "yes"/"no" as in the environment (not read as false)', async () => {
  const log = writeLog([combinedLine(0)]);
  const { code, stdout } = await runCli([log, '--output', 'json', '--config', configFile('{"once": "yes"}')]);
  assert.equal(code, 0);
  assert.match(stdout, /"type":"summary"/);
});

for (const [name, path, message] of configErrors) {
  test(`config file error, ${name}: one line on stderr, exit 2`, async () => {
    const { code, stdout, stderr } = await runCli([writeLog([combinedLine(0)]), '--once', '--config', path()]);
    assert.equal(code, 2);
    assert.match(stderr, message);
    assert.equal(stdout, '');
  });
}

test('several Alertmanager URLs: repeated, a list in the file, or one environment value', async () => {
  const log = writeLog([combinedLine(0)]);
  const pushing = (stderr: string): string | undefined => /^apachescan: pushing alerts to (.*)$/m.exec(stderr)?.[1];
  const expected = 'http://127.0.0.1:9093/api/v2/alerts, http://127.0.0.2:9093/api/v2/alerts';
  const repeated = await runCli([log, '--once', '--alertmanager', 'http://127.0.0.1:9093', '--alertmanager', 'http://127.0.0.2:9093']);
  assert.equal(pushing(repeated.stderr), expected, repeated.stderr);
  const file = configFile(JSON.stringify({ alertmanager: ['http://127.0.0.1:9093', 'http://127.0.0.2:9093'] }));
  assert.equal(pushing((await runCli([log, '--once', '--config', file])).stderr), expected);
  const env = await runCli([log, '--once'], { env: { APACHESCAN_ALERTMANAGER: 'http://127.0.0.1:9093 http://127.0.0.2:9093' } });
  assert.equal(pushing(env.stderr), expected);
  const bad = await runCli([log, '--once', '--alertmanager', 'ftp://x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^apachescan: invalid Alertmanager URL "ftp:\/\/x": the scheme must be http or https\n$/);
});

const summaryOf = (stdout: string): Record<string, unknown> | undefined => ndjson(stdout).find((e) => e['type'] === 'summary');

test('yes/no options from the environment: 1/0, true/false, yes/no, on/off in any case', async () => {
  const log = writeLog([combinedLine(0), combinedLine(1)]);
  for (const yes of ['1', 'true', 'yes', 'on', 'TRUE', 'Yes', 'ON']) {
    // Without --once on the command line: a true APACHESCAN_ONCE ends the run (false would follow forever).
    const { code, stdout, stderr } = await runCli([log, '--json'], { env: { APACHESCAN_ONCE: yes }, timeoutMs: 15_000 });
    assert.equal(code, 0, `APACHESCAN_ONCE=${yes}: ${stderr}`);
    assert.equal(summaryOf(stdout)?.['lines'], 2, `APACHESCAN_ONCE=${yes}`);
  }
  for (const no of ['0', 'false', 'no', 'off', 'False', 'NO', 'Off']) {
    const { code, stdout, stderr } = await runCli([log, '--once'], { env: { APACHESCAN_JSON: no } });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Summary: 2 lines/m, `APACHESCAN_JSON=${no}: text`);
  }
  const json = await runCli([log, '--once'], { env: { APACHESCAN_JSON: 'on' } });
  assert.equal(summaryOf(json.stdout)?.['lines'], 2, 'APACHESCAN_JSON=on: NDJSON');
  const overridden = await runCli([log, '--once', '--no-json'], { env: { APACHESCAN_JSON: '1' } });
  assert.match(overridden.stdout, /^Summary: 2 lines/m, 'the command line beats the environment');
});

for (const value of ['maybe', '2', '', 'y']) {
  test(`APACHESCAN_ONCE=${JSON.stringify(value)}: one line on stderr, exit 2`, async () => {
    const { code, stdout, stderr } = await runCli([writeLog([combinedLine(0)])], { env: { APACHESCAN_ONCE: value }, timeoutMs: 15_000 });
    assert.equal(code, 2);
    assert.equal(stderr, `apachescan: APACHESCAN_ONCE must be 1/0, true/false, yes/no or on/off, got '${value}'\n`);
    assert.equal(stdout, '');
  });
}

test('files on the command line replace the config file\'s and the environment\'s "file"', async () => {
  const configured = writeLog([combinedLine(0), combinedLine(1), combinedLine(2)]);
  const other = writeLog([combinedLine(0)]);
  const config = configFile(JSON.stringify({ file: configured, once: true, json: true }));
  const lines = async (args: string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> => {
    const { code, stdout, stderr } = await runCli(args, { env });
    assert.equal(code, 0, stderr);
    return summaryOf(stdout)?.['lines'];
  };
  assert.equal(await lines(['--config', config]), 3, 'the config file names the log');
  assert.equal(await lines(['--config', config, other]), 1, 'a positional file wins');
  assert.equal(await lines(['--config', config, '-f', other]), 1, '-f wins');
  assert.equal(await lines(['--config', config, '--file', other]), 1, '--file wins');
  assert.equal(await lines([other, '--once', '--json'], { APACHESCAN_FILE: configured }), 1, 'over APACHESCAN_FILE too');
  assert.equal(await lines(['--once', '--json'], { APACHESCAN_FILE: configured }), 3, 'APACHESCAN_FILE names the log');
  const third = writeLog([combinedLine(0), combinedLine(1), combinedLine(2), combinedLine(3)], 'third.log');
  assert.equal(await lines(['--config', config, other, '-f', third]), 5, "the command line's files are all read");
});
