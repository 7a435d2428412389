import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY } from 'rxjs';
import { followLog, monitor, monitorFiles, MonitorOptionsError, LogFormatError, type FollowLogOptions } from '../../src/index.js';
import { eventTimeWindows, parseAccessLog, trafficAlert, windowStats } from '../../operators/index.js';

/** Options every entry point must refuse, synchronously, with the same error and message. */
const BAD: readonly FollowLogOptions[] = [
  { interval: 0 },
  { interval: -10_000 },
  { interval: Number.NaN },
  { alertWindow: 15_000 },
  { interval: 10_000, alertWindow: 25_000 },
  { alertWindow: 0 },
  { lateness: -1 },
  { threshold: -1 },
  { threshold: 5, recoverThreshold: 6 },
  { top: -1 },
  { top: 1.5 },
  { idleTimeout: 0 },
  { maxFuture: -1 },
  { maxEmptyWindows: -1 },
  { format: '%h %Q' },
  { format: 'nope' },
];

const ENTRIES: readonly [string, (options: FollowLogOptions) => unknown][] = [
  ['monitor', (o) => monitor(EMPTY, o)],
  ['monitorFiles', (o) => monitorFiles(['/nonexistent/access.log', '/nonexistent/*.log'], o)],
  ['followLog', (o) => followLog('/nonexistent/access.log', o)],
];

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (err) {
    return err;
  }
  return undefined;
}

test('monitor, monitorFiles and followLog refuse the same bad options, synchronously, with the same MonitorOptionsError', () => {
  for (const options of BAD) {
    const errors = ENTRIES.map(([name, entry]) => [name, thrown(() => entry(options))] as const);
    for (const [name, err] of errors) {
      assert.ok(err instanceof MonitorOptionsError, `${name}(${JSON.stringify(options)}) threw ${String(err)}`);
      assert.equal(err.name, options.format === undefined ? 'MonitorOptionsError' : 'LogFormatError');
    }
    const messages = new Set(errors.map(([, err]) => (err as Error).message));
    assert.equal(messages.size, 1, `different messages for ${JSON.stringify(options)}: ${[...messages].join(' | ')}`);
  }
});

test('followLog: an alert window that is not a multiple of the interval is refused, as monitor refuses it', () => {
  assert.throws(() => followLog('/nonexistent/access.log', { interval: 10_000, alertWindow: 15_000 }), {
    name: 'MonitorOptionsError',
    message: 'the alert window (15 s) must be a multiple of the interval (10 s)',
  });
  assert.throws(() => followLog('/nonexistent/access.log', { interval: 0 }), /interval must be a positive number of ms, got 0/);
});

test('followLog checks its own options too: poll interval, rotate grace, path', () => {
  assert.throws(() => followLog('/x', { pollInterval: 0 }), MonitorOptionsError);
  assert.throws(() => followLog('/x', { rotateGrace: -1 }), MonitorOptionsError);
  assert.throws(() => followLog('', {}), MonitorOptionsError);
  assert.throws(() => followLog('/x', { checkpoint: { path: '' } }), MonitorOptionsError);
});

test('monitorFiles checks its own options: patterns, rescan interval, range', () => {
  assert.throws(() => monitorFiles([], {}), MonitorOptionsError);
  for (const parseWorkers of [-1, 1.5, Number.NaN, 65])
    assert.throws(() => monitorFiles(['/x'], { parseWorkers }), /parseWorkers must be a whole number from 0 to 64/);
  assert.throws(() => monitorFiles(['/x'], { parseWorkersMinBytes: -1 }), /parseWorkersMinBytes must be a non-negative number of bytes/);
  assert.doesNotThrow(() => monitorFiles(['/x'], { parseWorkers: 0, parseWorkersMinBytes: 0 }));
  assert.throws(() => monitorFiles(['/x', ''], {}), MonitorOptionsError);
  assert.throws(() => monitorFiles(['/x'], { rescanInterval: 0 }), MonitorOptionsError);
  assert.throws(() => monitorFiles(['/x'], { since: Number.NaN }), MonitorOptionsError);
  assert.throws(() => monitorFiles(['/x'], { since: 2000, until: 1000 }), {
    name: 'MonitorOptionsError',
    message: 'since (2000) must be before until (1000): the range [since, until) is empty',
  });
  assert.throws(() => monitorFiles(['/x'], { since: 1000, until: 1000 }), MonitorOptionsError, 'an empty range, as the CLI says');
  monitorFiles(['/x'], { since: 1000, until: 1001 });
});

test('every operator validates when it is created, with MonitorOptionsError (never a plain RangeError)', () => {
  const cases: [string, () => unknown][] = [
    ['eventTimeWindows interval 0', () => eventTimeWindows({ interval: 0 })],
    ['eventTimeWindows lateness -1', () => eventTimeWindows({ lateness: -1 })],
    ['eventTimeWindows idleTimeout 0', () => eventTimeWindows({ idleTimeout: 0 })],
    ['windowStats top -1', () => windowStats({ top: -1 })],
    ['trafficAlert alertWindow 0', () => trafficAlert({ alertWindow: 0 })],
    ['trafficAlert threshold -1', () => trafficAlert({ threshold: -1 })],
    ['trafficAlert recover above threshold', () => trafficAlert({ threshold: 1, recoverThreshold: 2 })],
    ['parseAccessLog bad format', () => parseAccessLog({ format: '%h %Q' })],
  ];
  for (const [what, call] of cases) {
    const err = thrown(call);
    assert.ok(err instanceof MonitorOptionsError, `${what}: ${String(err)}`);
    assert.ok(!(err instanceof RangeError), what);
  }
  assert.ok(thrown(() => parseAccessLog({ format: '%h %Q' })) instanceof LogFormatError);
});
