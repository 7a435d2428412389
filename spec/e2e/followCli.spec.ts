/**
 * The CLI in follow mode (no --once), as a real child process on real files: a real writer
 * process appends while apachescan follows; stopped by PID with SIGINT/SIGTERM. Each test
 * polls for what it expects with a bounded timeout; the whole file takes about 30 s.
 */
import { after, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, copyFileSync, existsSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { combinedLine, runCli } from '../helpers/cli.js';
import { alertsOf, hasOpen, startFollower, statsOf, stopFollowers, tallySections, totalHits, waitUntil } from '../helpers/follower.js';
import { killLogWriters, startLogWriter, T0 } from '../helpers/logWriter.js';
import { sleep } from '../helpers/sleep.js';
import { tempDir } from '../helpers/tempDir.js';
import { processedOffset } from '../helpers/checkpointFile.js';

after(() => {
  killLogWriters();
  stopFollowers();
});

const iso = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');
const ms = (isoTime: unknown): number => Date.parse(isoTime as string);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Fast windows for tests: 1 s intervals, windows close 1 s of idle after the last line. */
const QUICK = ['--interval', '1', '--lateness', '1', '--idle-timeout', '1'];

/** Lines at event seconds 0-2 (100 each), then 15 at 3 and 5 at 4: fires at 1 s, recovers at 5 s (window 2 s). */
function burst(): string[] {
  const lines: string[] = [];
  for (const [second, n] of [
    [0, 100],
    [1, 100],
    [2, 100],
    [3, 15],
    [4, 5],
  ] as const) {
    for (let i = 0; i < n; i++) lines.push(combinedLine(second, { path: `/api/${i}` }));
  }
  return lines;
}
const BURST_ARGS = [...QUICK, '--alert-window', '2', '--threshold', '10'];

describe('follow mode through the CLI', () => {
  it('follows a file a writer appends to: every line counted once, no stats before its window ends (latency printed)', async (t) => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, '');
    // Wall-clock event times, no lateness: window [s, s+1) closes with the first line dated s+1,
    // written at s+1 or later, so (arrival of its stats) - (s+1) bounds the latency from above.
    // Idle advance after 3 s: a reader descheduled for a second on a loaded machine must not
    // close windows by the clock before it reads the lines that were written meanwhile.
    const run = startFollower([
      log,
      '--json',
      '--no-checkpoint',
      '--interval',
      '1',
      '--lateness',
      '0',
      '--idle-timeout',
      '3',
      '--top',
      '100000',
      '--threshold',
      '1000000',
    ]);
    await run.waitFor('the log to be opened', () => hasOpen(run.pid, log), 10_000);
    const count = 1500;
    const writer = startLogWriter({ path: log, spec: { count, clock: { kind: 'wall' } }, rate: 250 });
    await writer.done;
    const lastWrite = Date.now();
    await run.waitFor(`stats for all ${count} lines`, () => totalHits(run.events) >= count, 15_000);
    // Duplicates, if any, are in the output by the end: SIGINT flushes every window first.
    const exit = await run.stop('SIGINT');
    assert.deepEqual(exit, { code: 0, signal: null });

    const stats = statsOf(run.events);
    const latencies = run.events
      .map((e, i) => ({ e, at: run.eventArrivals[i] as number }))
      .filter(({ e }) => e['type'] === 'stats' && ms(e['end']) <= lastWrite - 1000 && (e['hits'] as number) > 0)
      .map(({ e, at }) => at - ms(e['end']));
    t.diagnostic(
      `${stats.length} windows; latency after the window's end: median ${median(latencies)} ms, max ${Math.max(...latencies)} ms (${latencies.length} windows closed by data)`,
    );
    assert.ok(latencies.length >= 2, `windows closed by data: ${latencies.length}`);
    assert.ok(Math.min(...latencies) >= 0, `no window closes before its end: ${latencies.join(',')}`);
    // How soon after its end a window is reported is measured (diagnostic above), not asserted: timing belongs in benchmarks.
    assert.deepEqual(tallySections(run.events, count), { lost: 0, duplicated: 0, unexpected: 0 });
    assert.deepEqual(run.events.at(-1), { type: 'summary', lines: count, parsed: count, invalid: 0, late: 0 });
    assert.equal(run.stderr(), '');
  });

  it('--from-end skips the lines already there', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, Array.from({ length: 100 }, (_, i) => `${combinedLine(i, { path: '/old' })}\n`).join(''));
    const run = startFollower([log, '--json', '--no-checkpoint', '--from-end', ...QUICK]);
    await run.waitFor('the log to be opened', () => hasOpen(run.pid, log), 10_000);
    // The end is taken just after opening: a round of new lines appended before that is skipped
    // like the old ones. So rounds of 10 lines (5 at second 1000 + 2k, 5 at 1001 + 2k) go in
    // until stats come; whichever round was the first after the end, every one from it on is read.
    let rounds = 0;
    while (totalHits(run.events) === 0 && rounds < 10) {
      const k = rounds++;
      appendFileSync(
        log,
        Array.from({ length: 10 }, (_, i) => `${combinedLine(1000 + 2 * k + Math.floor(i / 5), { path: '/new' })}\n`).join(''),
      );
      for (let polls = 0; polls < 40 && totalHits(run.events) === 0; polls++) await sleep(100);
    }
    const first = (Number(Date.parse(String(statsOf(run.events).find((e) => (e['hits'] as number) > 0)?.['start']))) - T0) / 1000;
    const firstRound = (first - 1000) / 2;
    assert.ok(Number.isInteger(firstRound) && firstRound >= 0 && firstRound < rounds, `stats start at a round: ${first}`);
    const read = 10 * (rounds - firstRound);
    await run.waitFor(`stats of the ${read} lines of rounds ${firstRound}..${rounds - 1}`, () => totalHits(run.events) >= read, 10_000);
    const exit = await run.stop('SIGTERM');
    assert.equal(exit.code, 0);
    const stats = statsOf(run.events).filter((e) => (e['hits'] as number) > 0);
    assert.deepEqual(
      stats.map((e) => [e['start'], e['hits'], e['sections']]),
      Array.from({ length: 2 * (rounds - firstRound) }, (_, i) => [iso(first + i), 5, [{ name: '/new', hits: 5 }]]),
    );
    assert.equal(statsOf(run.events)[0]?.['start'], iso(first), 'nothing before the new lines');
    assert.deepEqual(run.events.at(-1), { type: 'summary', lines: read, parsed: read, invalid: 0, late: 0 });
  });

  it('waits for a missing file (one line on stderr), then follows it once created', async () => {
    const dir = tempDir();
    const log = join(dir, 'later.log');
    const run = startFollower([log, '--json', '--no-checkpoint', ...QUICK]);
    await run.waitFor('the waiting message', () => run.stderr().includes('\n'), 10_000);
    assert.equal(run.stderr(), `apachescan: waiting for ${log} to be created (Ctrl-C to stop)\n`);
    assert.equal(run.exited(), false, 'still waiting');
    writeFileSync(log, [combinedLine(0), combinedLine(1), combinedLine(1), ''].join('\n'));
    await run.waitFor('stats of the 3 lines', () => totalHits(run.events) >= 3, 10_000);
    const exit = await run.stop('SIGINT');
    assert.equal(exit.code, 0);
    assert.deepEqual(
      statsOf(run.events)
        .map((e) => e['hits'])
        .slice(0, 2),
      [1, 2],
    );
    assert.deepEqual(run.events.at(-1), { type: 'summary', lines: 3, parsed: 3, invalid: 0, late: 0 });
    assert.equal(run.stderr(), `apachescan: waiting for ${log} to be created (Ctrl-C to stop)\n`, 'nothing more on stderr');
  });

  const fifo = (): string => {
    const path = join(tempDir(), 'pipe.log');
    execFileSync('mkfifo', [path]);
    return path;
  };
  const badPaths: Array<[string, () => string, RegExp]> = [
    ['a directory', () => tempDir(), /^apachescan: .* is a directory, not a log file\n$/],
    [
      'a path under a missing directory',
      () => join(tempDir(), 'missing', 'access.log'),
      /^apachescan: cannot read .*\/missing: no such file\n$/,
    ],
    ['a named pipe', () => fifo(), /^apachescan: .*pipe\.log is a named pipe, not a log file .*\n$/],
    ['a path under a regular file', () => join(writeFile(), 'access.log'), /^apachescan: cannot read .*access\.log: .*\n$/],
  ];
  for (const [name, path, message] of badPaths) {
    it(`${name}: exit 2 with one line on stderr, without waiting`, async () => {
      // A follower that waited would be killed by the timeout (code null), never exit 2.
      const { code, stdout, stderr } = await runCli([path(), '--json', '--no-checkpoint'], { timeoutMs: 10_000 });
      assert.equal(code, 2, stderr);
      assert.match(stderr, message);
      assert.equal(stderr.split('\n').length, 2, stderr);
      assert.equal(stdout, '');
    });
  }

  // Existing but unreadable: a mode-000 file (read as `nobody` when the tests run as root,
  // whom permissions do not stop) and /proc/1/mem (exists, refuses to be opened).
  const unreadable: Array<[string, () => { path: string; uid?: number; gid?: number }]> = [
    [
      'a file without read permission',
      () => {
        const dir = tempDir();
        chmodSync(dir, 0o755);
        const path = join(dir, 'secret.log');
        writeFileSync(path, `${combinedLine(0)}\n`, { mode: 0o000 });
        return process.getuid?.() === 0 ? { path, uid: 65534, gid: 65534 } : { path };
      },
    ],
    ['/proc/1/mem', () => ({ path: '/proc/1/mem' })],
  ];
  for (const [name, make] of unreadable) {
    for (const mode of [['--once'], []]) {
      it(`${name}${mode.length > 0 ? ' with --once' : ', following'}: exit 2 at start with one line, no internal error`, async () => {
        const { path, ...user } = make();
        const { code, stdout, stderr } = await runCli([path, '--json', '--no-checkpoint', ...mode], { timeoutMs: 10_000, ...user });
        assert.equal(stderr, `apachescan: cannot read ${path}: permission denied\n`);
        assert.equal(code, 2);
        assert.equal(stdout, '');
      });
    }
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} without a checkpoint: the open window is flushed, then the summary; exit 0`, async () => {
      const dir = tempDir();
      const log = join(dir, 'access.log');
      writeFileSync(log, Array.from({ length: 300 }, (_, i) => `${combinedLine(Math.floor(i / 10))}\n`).join(''));
      // Watermark 29 - 5 = 24: [0,10) and [10,20) close by data; [20,30) stays open.
      const run = startFollower([log, '--json', '--no-checkpoint', '--lateness', '5', '--idle-timeout', '600']);
      await run.waitFor('2 windows', () => statsOf(run.events).length >= 2, 10_000);
      await sleep(200);
      assert.equal(statsOf(run.events).length, 2);
      const exit = await run.stop(signal);
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.deepEqual(
        run.events.slice(2).map((e) => [e['type'], e['start'] ?? null, e['hits'] ?? null]),
        [
          ['stats', iso(20), 100],
          ['summary', null, null],
        ],
      );
      assert.deepEqual(run.events.at(-1), { type: 'summary', lines: 300, parsed: 300, invalid: 0, late: 0 });
    });
  }

  it('idle: with no new line, the windows close by the clock and a firing alert recovers', async (t) => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, '');
    const run = startFollower([log, '--json', '--checkpoint', join(dir, 'cp.json'), ...BURST_ARGS]);
    await run.waitFor('the log to be opened', () => hasOpen(run.pid, log), 10_000);
    appendFileSync(
      log,
      burst()
        .map((l) => `${l}\n`)
        .join(''),
    );
    const lastWrite = Date.now();
    const size = statSync(log).size;
    await run.waitFor('the alert to fire', () => alertsOf(run.events).length >= 1, 10_000);
    await run.waitFor('the recovery', () => alertsOf(run.events).length >= 2, 20_000);
    const recoveredAfter = (run.eventArrivals[run.events.findIndex((e) => e['state'] === 'recovered')] as number) - lastWrite;
    t.diagnostic(`recovered ${recoveredAfter} ms after the last line was written`);
    assert.equal(statSync(log).size, size, 'no line was written meanwhile');
    assert.deepEqual(alertsOf(run.events), [
      { type: 'alert', state: 'firing', at: iso(1), hits: 100, rate: 50, threshold: 10 },
      { type: 'alert', state: 'recovered', at: iso(5), hits: 20, rate: 10, threshold: 10 },
    ]);
    // [4,5) can only close by the clock: no line is dated 5 s or later.
    assert.ok(recoveredAfter >= 1000, `recovery waited for the idle timeout: ${recoveredAfter} ms`);
    const windows = statsOf(run.events).map((e) => [e['start'], e['hits']]);
    assert.deepEqual(windows.slice(0, 5), [
      [iso(0), 100],
      [iso(1), 100],
      [iso(2), 100],
      [iso(3), 15],
      [iso(4), 5],
    ]);
    // The stats of a window come before the alert evaluated at its end.
    const recoveredAt = run.events.findIndex((e) => e['state'] === 'recovered');
    assert.equal(run.events[recoveredAt - 1]?.['end'], iso(5));
    await run.waitFor('an empty window closed by the clock', () => statsOf(run.events).some((e) => e['start'] === iso(5)), 10_000);
    assert.equal(statsOf(run.events).find((e) => e['start'] === iso(5))?.['hits'], 0);
    const exit = await run.stop('SIGINT');
    assert.equal(exit.code, 0);
    assert.deepEqual(run.events.at(-1), { type: 'summary', lines: 320, parsed: 320, invalid: 0, late: 0 });
  });

  it('idle: junk lines every few hundred ms do not stop the clock; the alert still recovers', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, '');
    const run = startFollower([log, '--json', '--no-checkpoint', ...BURST_ARGS]);
    await run.waitFor('the log to be opened', () => hasOpen(run.pid, log), 10_000);
    appendFileSync(
      log,
      burst()
        .map((l) => `${l}\n`)
        .join(''),
    );
    await run.waitFor('the alert to fire', () => alertsOf(run.events).length >= 1, 10_000);
    // A writer of junk (a scanner): one invalid line every 200 ms, faster than the 1 s idle timeout.
    let junk = 0;
    const writer = setInterval(() => {
      appendFileSync(log, `\x16\x03\x01 not an access log line ${++junk}\n`);
    }, 200);
    try {
      await run.waitFor('the recovery while junk keeps arriving', () => alertsOf(run.events).length >= 2, 20_000);
    } finally {
      clearInterval(writer);
    }
    assert.ok(junk >= 5, `junk lines were written meanwhile: ${junk}`);
    assert.deepEqual(alertsOf(run.events)[1], { type: 'alert', state: 'recovered', at: iso(5), hits: 20, rate: 10, threshold: 10 });
    // Windows keep closing by the clock, each carrying the invalid lines seen since the last one.
    await run.waitFor(
      `all ${junk} junk lines counted`,
      () => statsOf(run.events).reduce((n, e) => n + (e['invalid'] as number), 0) === junk,
      10_000,
    );
    const exit = await run.stop('SIGINT');
    assert.equal(exit.code, 0);
    const summary = run.events.at(-1) ?? {};
    assert.equal(summary['parsed'], 320);
    assert.equal(summary['invalid'], junk);
  });

  it('text mode prints the exact alert and recovery lines while following', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, '');
    const run = startFollower([log, '--no-checkpoint', ...BURST_ARGS]);
    await run.waitFor('the log to be opened', () => hasOpen(run.pid, log), 10_000);
    appendFileSync(
      log,
      burst()
        .map((l) => `${l}\n`)
        .join(''),
    );
    const fired = `High traffic generated an alert - hits = 100, triggered at ${iso(1)}`;
    const recovered = `Traffic recovered - hits = 20, recovered at ${iso(5)}`;
    await run.waitFor('the recovery line', () => run.lines.includes(recovered), 20_000);
    const exit = await run.stop('SIGINT');
    assert.equal(exit.code, 0);
    assert.equal(run.lines.filter((l) => l === fired).length, 1);
    assert.equal(run.lines.filter((l) => l === recovered).length, 1);
    assert.ok(run.lines.indexOf(fired) < run.lines.indexOf(recovered));
    assert.equal(run.lines.at(-1), 'Summary: 320 lines, 320 parsed, 0 invalid, 0 late');
    assert.equal(run.stderr(), '');
  });

  it('rotation while a writer appends (rename + create, then copytruncate): every line counted exactly once', async (t) => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    const count = 12_000;
    // No idle advance (a writer stalled by a loaded machine must not close windows early and
    // make lines late); with a checkpoint, to see when everything was read (its processed
    // offset reaches the end of the file), and the open windows are held at the stop.
    const checkpoint = join(dir, 'checkpoint.json');
    // The log exists before the follower starts (else it may say, rightly, that it waits for it).
    writeFileSync(log, '');
    // Event time runs 25 times faster than the writer's (2500 lines/s, 100 per event second): a
    // reader that gets the end of a rotated file 40 ms after the start of the new one (a step
    // drains the old file, then reads the new one) sees them 1 s apart; a lateness of 5 s
    // keeps such lines on time on a loaded machine.
    const run = startFollower([
      log,
      '--json',
      '--checkpoint',
      checkpoint,
      '--interval',
      '1',
      '--lateness',
      '5',
      '--idle-timeout',
      '600',
      '--top',
      '100000',
      '--threshold',
      '1000000',
    ]);
    const writer = startLogWriter({
      path: log,
      spec: { count, clock: { kind: 'profile', segments: [[200, 100]] } },
      rate: 2500,
      reopenDelay: 200,
    });
    // A follower that starts after the rotation never sees the first file (it starts at the
    // live one, as it should): rotate only once it has read from it (a window is out).
    await run.waitFor('a first window', () => statsOf(run.events).length >= 1, 20_000);
    await waitUntil('3000 lines written', () => writer.written() >= 3000, 20_000);
    // rename + create: the writer goes on writing to the renamed file for 200 ms.
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
    writer.reopen();
    await waitUntil('7000 lines written', () => writer.written() >= 7000, 20_000);
    // copytruncate: the writer is paused around copy + truncate, which lose whatever is
    // written between the two whoever reads (logrotate(8)).
    await writer.pause();
    renameSync(`${log}.1`, `${log}.2`);
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    writer.resume();
    assert.equal(await writer.done, count);
    await run.waitFor('the whole file read', () => processedOffset(checkpoint) === statSync(log).size, 30_000);
    const exit = await run.stop('SIGINT');
    assert.equal(exit.code, 0);
    // Lines are in event-time order: the open windows hold the last ones.
    const summary = run.events.at(-1) ?? {};
    const held = summary['held'] as number;
    assert.ok(held > 0 && held <= 700, `the last windows held: ${held}`);
    const tally = tallySections(run.events, count, (k) => k > count - held);
    t.diagnostic(`${count} written, ${totalHits(run.events)} reported, ${held} held: lost ${tally.lost}, duplicated ${tally.duplicated}`);
    assert.deepEqual(tally, { lost: 0, duplicated: 0, unexpected: 0 });
    assert.deepEqual(summary, { type: 'summary', lines: count - held, parsed: count - held, invalid: 0, late: 0, held });
    assert.ok(existsSync(`${log}.2`));
    assert.equal(run.stderr(), '');
  });
});

let files = 0;
function writeFile(): string {
  const path = join(tempDir(), `plain-${++files}.log`);
  writeFileSync(path, `${combinedLine(0)}\n`);
  return path;
}
