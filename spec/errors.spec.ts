import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EMPTY, lastValueFrom, type Observable } from 'rxjs';
import * as api from '../src/index.js';
import * as operators from '../operators/index.js';
import { startPrometheusExporter } from '../src/sinks/prometheus/index.js';
import { createInfluxWriter } from '../src/sinks/influx/index.js';
import { ROOT } from './helpers/paths.js';

const { ApachescanError, MonitorOptionsError, LogFormatError, FileError, CheckpointError, SinkError } = api;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('expected a rejection');
}

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (err) {
    return err;
  }
  assert.fail('expected a throw');
}

test('every error class is exported from apachescan, is an ApachescanError and names itself', () => {
  for (const [name, cls] of Object.entries({ MonitorOptionsError, LogFormatError, FileError, CheckpointError, SinkError })) {
    assert.equal(typeof cls, 'function', name);
    assert.ok(cls.prototype instanceof ApachescanError, name);
    assert.ok(cls.prototype instanceof Error, name);
  }
  assert.ok(LogFormatError.prototype instanceof MonitorOptionsError, 'a bad format is a bad option');
});

test('MonitorOptionsError and LogFormatError: bad options and formats, caught by instanceof', () => {
  const options = thrown(() => api.monitor(EMPTY, { interval: 0 }));
  assert.ok(options instanceof MonitorOptionsError && options instanceof ApachescanError);
  assert.equal(options.name, 'MonitorOptionsError');
  const format = thrown(() => operators.parseAccessLog({ format: '%h %Z' }));
  assert.ok(format instanceof LogFormatError);
  assert.equal(format.name, 'LogFormatError');
  assert.match(format.message, /unknown log format directive %Z/);
});

test('FileError: readLogFile and monitor on it fail with the errno code and the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-errors-'));
  try {
    const missing = join(dir, 'missing.log');
    for (const [what, events$] of [
      ['readLogFile', api.readLogFile(missing) as Observable<unknown>],
      ['monitor(readLogFile())', api.monitor(api.readLogFile(missing))],
    ] as const) {
      const err = await rejection(lastValueFrom(events$));
      assert.ok(err instanceof FileError, `${what}: ${String(err)}`);
      assert.ok(err instanceof ApachescanError);
      assert.equal(err.name, 'FileError');
      assert.equal(err.code, 'ENOENT');
      assert.equal(err.path, missing);
      assert.equal(err.message, `cannot read ${missing}: no such file`);
      assert.equal((err.cause as NodeJS.ErrnoException).code, 'ENOENT');
    }
    const isDir = await rejection(lastValueFrom(api.monitor(api.readLogFile(dir))));
    assert.ok(isDir instanceof FileError);
    assert.equal(isDir.code, 'EISDIR');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('FileError: monitorFiles, read once or followed, fails with the code and the path, as the CLI refuses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-errors-'));
  try {
    const nowhere = join(dir, 'nope');
    const gz = join(dir, 'access.log.gz');
    writeFileSync(gz, gzipSync('x\n'));
    const fifo = join(dir, 'pipe.log');
    execFileSync('mkfifo', [fifo]);
    const cases: [string, Observable<unknown>, { code: string | undefined; path: string; message: RegExp }][] = [
      [
        'a glob matching nothing',
        api.monitorFiles([join(nowhere, '*.log')]),
        { code: 'ENOENT', path: join(nowhere, '*.log'), message: /^no file matches .*\/nope\/\*\.log$/ },
      ],
      [
        'a missing file',
        api.monitorFiles([join(nowhere, 'a.log')]),
        { code: 'ENOENT', path: join(nowhere, 'a.log'), message: /^cannot read .*\/nope\/a\.log: no such file$/ },
      ],
      ['a directory', api.monitorFiles([dir]), { code: 'EISDIR', path: dir, message: /is a directory, not a log file$/ }],
      [
        'following a file in a missing folder',
        api.monitorFiles([join(nowhere, 'a.log')], { follow: true }),
        { code: 'ENOENT', path: nowhere, message: /^cannot read .*\/nope: no such file$/ },
      ],
      ['followLog in a missing folder', api.followLog(join(nowhere, 'a.log')), { code: 'ENOENT', path: nowhere, message: /no such file$/ }],
      ['following a directory', api.followLog(dir), { code: 'EISDIR', path: dir, message: /is a directory, not a log file$/ }],
      [
        'following a named pipe',
        api.monitorFiles([fifo, gz], { follow: true }),
        { code: 'EINVAL', path: fifo, message: /pipe\.log is a named pipe, not a log file/ },
      ],
      [
        'following one gzip file',
        api.followLog(gz),
        { code: undefined, path: gz, message: /access\.log\.gz is gzip-compressed and cannot be followed/ },
      ],
    ];
    for (const [what, events$, expected] of cases) {
      const err = await rejection(lastValueFrom(events$));
      assert.ok(err instanceof FileError, `${what}: ${String(err)}`);
      assert.equal(err.code, expected.code, what);
      assert.equal(err.path, expected.path, what);
      assert.match(err.message, expected.message, what);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CheckpointError: a corrupt checkpoint, a foreign one, and one made with other settings', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'apachescan-errors-'));
  try {
    const path = join(dir, 'cp.json');
    assert.equal(await api.loadFollowCheckpoint(path, join(dir, 'access.log')), undefined, 'no file: start from scratch');
    writeFileSync(path, '{not json');
    const corrupt = await rejection(api.loadFollowCheckpoint(path, join(dir, 'access.log')));
    assert.ok(corrupt instanceof CheckpointError && corrupt instanceof ApachescanError);
    assert.equal(corrupt.path, path);
    writeFileSync(path, '{"version":1}');
    assert.ok((await rejection(api.loadFollowCheckpoint(path, join(dir, 'access.log')))) instanceof CheckpointError);
    assert.ok(thrown(() => api.checkFollowCheckpoint({ version: 2 }, 'access.log')) instanceof CheckpointError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SinkError: an exporter that cannot listen, an InfluxDB URL that cannot be used', async () => {
  const port = await rejection(startPrometheusExporter({ port: 70_000 }));
  assert.ok(port instanceof SinkError && port instanceof ApachescanError);
  assert.equal(port.name, 'SinkError');
  const first = await startPrometheusExporter({ port: 0 });
  try {
    const busy = await rejection(startPrometheusExporter({ port: first.address.port }));
    assert.ok(busy instanceof SinkError);
    assert.equal(busy.code, 'EADDRINUSE');
  } finally {
    await first.close();
  }
  const url = thrown(() => createInfluxWriter({ url: 'ftp://example.invalid/write' }));
  assert.ok(url instanceof SinkError);
});

test('CheckpointError: followLog refuses, synchronously, a saved checkpoint of another log or other settings', () => {
  const position = { dev: 1, ino: 2, offset: 0, fingerprint: '', fingerprintBytes: 0 };
  const saved: api.FollowCheckpoint = {
    version: 3,
    log: '/var/log/a.log',
    settings: { interval: 10_000, lateness: 10_000, alertWindow: 120_000, format: 'auto' },
    files: { '/var/log/a.log': { replay: position, processed: position } },
    windowing: { maxTime: null, watermark: null, nextStart: null },
    pending: { invalid: 0, late: 0 },
    alert: { firing: false, starts: [], hits: [], sum: 0 },
    totals: { lines: 0, parsed: 0, invalid: 0, late: 0 },
  };
  const checkpoint = { path: '/tmp/cp.json', saved };
  assert.doesNotThrow(() => api.checkFollowCheckpoint(saved, '/var/log/a.log'));
  const other = thrown(() => api.followLog('/var/log/b.log', { checkpoint }));
  assert.ok(other instanceof CheckpointError);
  assert.match(other.message, /cannot resume from checkpoint \/tmp\/cp\.json: it belongs to \/var\/log\/a\.log/);
  const settings = thrown(() => api.followLog('/var/log/a.log', { interval: 5000, checkpoint }));
  assert.ok(settings instanceof CheckpointError);
  assert.match(settings.message, /another interval, lateness, alertWindow or format \(start afresh: pass no saved checkpoint\)$/);
  assert.doesNotThrow(() => api.followLog('/var/log/a.log', { checkpoint }));
});

/** The entry points the README's Errors table lists for `cls` (its second column's names). */
function readmeErrorRow(cls: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${cls}\``));
  assert.ok(row !== undefined, `README Errors table has a ${cls} row`);
  const from = row.replace(/^\||\|$/g, '').split('|')[1] ?? '';
  return [...from.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

test('the README Errors table is true: each entry it lists for MonitorOptionsError throws it, synchronously, for a bad option', () => {
  const badOption: Record<string, () => unknown> = {
    monitor: () => api.monitor(EMPTY, { interval: 0 }),
    monitorParsed: () => api.monitorParsed(EMPTY, { threshold: -1 }),
    monitorFiles: () => api.monitorFiles(['a.log'], { idleTimeout: 0 }),
    followLog: () => api.followLog('a.log', { lateness: -1 }),
    readLogFile: () => api.readLogFile('a.log', { chunkSize: 0 }),
  };
  const everyOperator: Record<string, () => unknown> = {
    parseAccessLog: () => operators.parseAccessLog({ format: '%h %Q' }),
    eventTimeWindows: () => operators.eventTimeWindows({ interval: 0 }),
    windowStats: () => operators.windowStats({ top: -1 }),
    trafficAlert: () => operators.trafficAlert({ threshold: -1 }),
    mergeByTime: () => operators.mergeByTime({ idleTimeout: 0 }),
    eventTimeRange: () => operators.eventTimeRange({ since: Number.NaN }),
  };
  const listed = readmeErrorRow('MonitorOptionsError');
  assert.ok(listed.length > 0);
  for (const name of listed) {
    const call = badOption[name];
    assert.ok(call !== undefined, `the spec knows a bad option for ${name}`);
    assert.ok(thrown(call) instanceof MonitorOptionsError, name);
  }
  for (const [name, call] of Object.entries(everyOperator)) assert.ok(thrown(call) instanceof MonitorOptionsError, name);
});

test('the README Errors table is true: each sink it lists for SinkError rejects or throws it for a bad option', async () => {
  const badOption: Record<string, () => Promise<unknown>> = {
    startPrometheusExporter: () => startPrometheusExporter({ port: -1 }),
    createInfluxWriter: async () => createInfluxWriter({ url: 'ftp://nowhere' }),
    createAlertmanagerPusher: async () => api.createAlertmanagerPusher({ urls: ['not a url'], labels: {} }),
    createAlertCommand: async () => api.createAlertCommand({ command: '' }),
  };
  const listed = readmeErrorRow('SinkError');
  assert.ok(listed.length > 0);
  for (const name of listed) {
    const call = badOption[name];
    assert.ok(call !== undefined, `the spec knows a bad option for ${name}`);
    assert.ok((await rejection(call())) instanceof SinkError, name);
  }
});
