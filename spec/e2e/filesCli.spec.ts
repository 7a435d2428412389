/**
 * Many files through the CLI, end to end on real files: several logs and globs merged in
 * event time, gzip history, --history, --since/--until, and following a glob (new files
 * picked up, a quiet vhost not holding the others back, a live file rotated by the real
 * logrotate). The reference is always `--once` on one file holding every line merged by time.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { combinedLine, ndjson, runCli } from '../helpers/cli.js';
import { alertsOf, hasOpen, startFollower, statsOf, stopFollowers, totalHits, type Event } from '../helpers/follower.js';
import { tempDir } from '../helpers/tempDir.js';

after(() => stopFollowers());

const LOGROTATE = '/usr/sbin/logrotate';

/** A line of `vhost` at event second `s` (section and client tell vhost and second apart). */
const line = (vhost: string, s: number, i = 0): string =>
  combinedLine(s, { host: `10.0.${vhost.length}.${i % 7}`, path: `/${vhost}/${s % 5}`, status: s % 11 === 0 ? 500 : 200 });

/** `count(s)` lines at each event second of [from, to). */
function lines(vhost: string, from: number, to: number, count: (s: number) => number): string[] {
  const out: string[] = [];
  for (let s = from; s < to; s++) for (let i = 0; i < count(s); i++) out.push(line(vhost, s, i));
  return out;
}

const text = (xs: readonly string[]): string => xs.map((l) => `${l}\n`).join('');

/** Every line of `files` (each in time order) merged by time, stably: the reference order. */
function mergedByTime(files: readonly (readonly string[])[]): string[] {
  const stamp = (l: string): number => Date.parse(l.replace(/^.*?\[(\d+)\/(\w+)\/(\d+):(\d\d:\d\d:\d\d) \+0000\].*$/, '$2 $1 $3 $4 UTC'));
  return files
    .flatMap((f, i) => f.map((l, at) => ({ l, i, at, t: stamp(l) })))
    .sort((a, b) => a.t - b.t || a.i - b.i || a.at - b.at)
    .map((x) => x.l);
}

async function onceOn(all: readonly string[], args: readonly string[]): Promise<Event[]> {
  const dir = tempDir();
  const merged = join(dir, 'merged.log');
  writeFileSync(merged, text(all));
  const result = await runCli([merged, '--once', '--json', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return ndjson(result.stdout);
}

const ANALYSIS = ['--interval', '10', '--lateness', '0', '--alert-window', '30', '--threshold', '2'];

describe('several files, --once', () => {
  it('files and a glob give the events of --once on their lines merged by time; gzip read by its magic bytes', async () => {
    const dir = tempDir();
    const a = lines('shop', 0, 200, (s) => (s >= 60 && s < 100 ? 4 : 1));
    const b = lines('blog', 5, 180, (s) => (s % 3 === 0 ? 2 : 0));
    const quiet = lines('q', 30, 33, () => 1);
    writeFileSync(join(dir, 'shop.access.log'), text(a));
    writeFileSync(join(dir, 'blog.access.log'), gzipSync(text(b))); // compressed, without a .gz name
    writeFileSync(join(dir, 'quiet.access.log'), text(quiet));
    writeFileSync(join(dir, 'error.log'), 'not an access log\n');
    const expected = await onceOn(mergedByTime([b, quiet, a]), ANALYSIS);
    assert.ok(alertsOf(expected).length >= 2, 'the case fires and recovers');

    const globbed = await runCli([join(dir, '*.access.log'), '--once', '--json', ...ANALYSIS]);
    assert.equal(globbed.code, 0, globbed.stderr);
    assert.deepEqual(ndjson(globbed.stdout), expected);
    const named = await runCli([
      join(dir, 'shop.access.log'),
      join(dir, 'blog.access.log'),
      join(dir, 'quiet.access.log'),
      '--once',
      '--json',
      ...ANALYSIS,
    ]);
    assert.deepEqual(ndjson(named.stdout), expected);
  });

  it('--history reads the rotated siblings oldest first, compressed or not, then the log', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    const parts = [lines('x', 0, 50, () => 2), lines('x', 50, 100, () => 3), lines('x', 100, 150, () => 1), lines('x', 150, 200, () => 2)];
    writeFileSync(`${log}.3.gz`, gzipSync(text(parts[0] as string[])));
    writeFileSync(`${log}.2.gz`, gzipSync(text(parts[1] as string[])));
    writeFileSync(`${log}.1`, text(parts[2] as string[]));
    writeFileSync(log, text(parts[3] as string[]));
    writeFileSync(`${log}.bak`, text(lines('bak', 0, 10, () => 1))); // not a rotation
    const expected = await onceOn(parts.flat(), ANALYSIS);
    const result = await runCli([log, '--history', '--once', '--json', ...ANALYSIS]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(ndjson(result.stdout), expected);
    const plain = await runCli([log, '--once', '--json', ...ANALYSIS]);
    assert.equal(ndjson(plain.stdout).at(-1)?.['lines'], (parts[3] as string[]).length, 'without --history: the log alone');
  });

  it("a glob with --history that also matches the rotated siblings ('dir/*'): each read once, as history", async () => {
    const dir = tempDir();
    const log = join(dir, 'shop.log');
    const parts = [lines('s', 0, 50, () => 2), lines('s', 50, 100, () => 3), lines('s', 100, 150, () => 1)];
    writeFileSync(`${log}.2.gz`, gzipSync(text(parts[0] as string[])));
    writeFileSync(`${log}.1`, text(parts[1] as string[]));
    writeFileSync(log, text(parts[2] as string[]));
    const expected = await onceOn(parts.flat(), ANALYSIS);
    const result = await runCli([join(dir, '*'), '--history', '--once', '--json', ...ANALYSIS]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(ndjson(result.stdout), expected);
  });

  it('--since/--until keep a range of event time; the lines outside are counted in the summary', async () => {
    const dir = tempDir();
    const all = lines('r', 0, 100, () => 2);
    const log = join(dir, 'access.log');
    writeFileSync(log, `${text(all)}garbage\n`);
    const result = await runCli([
      log,
      '--once',
      '--json',
      ...ANALYSIS,
      '--since',
      '2026-01-01T00:00:20Z',
      '--until',
      '01/Jan/2026:00:01:00 +0000',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const events = ndjson(result.stdout);
    const inRange = all.slice(40, 120);
    const expected = await onceOn([...inRange, 'garbage'], ANALYSIS);
    expected[expected.length - 1] = { ...expected.at(-1), outOfRange: all.length - inRange.length };
    assert.deepEqual(events, expected);
    const summary = events.at(-1) as Event;
    assert.equal((summary['lines'] as number) + (summary['outOfRange'] as number), all.length + 1, 'every non-empty line is accounted for');
    const textRun = await runCli([log, '--once', '--since', '2026-01-01T00:00:20Z']);
    assert.match(
      textRun.stdout,
      /Summary: 161 lines, 160 parsed, 1 invalid \(1 not in the log format\), 0 late, 40 outside --since\/--until\n$/,
    );
  });

  it('--by file and --by vhost: hits per log or per virtual host in each interval, text and JSON', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    writeFileSync(a, text(lines('a', 0, 3, () => 2)));
    writeFileSync(b, text(lines('b', 1, 2, () => 1)));
    const byFile = await runCli([a, b, '--once', '--by', 'file']);
    assert.equal(byFile.code, 0, byFile.stderr);
    assert.match(
      byFile.stdout,
      new RegExp(`\\| 7 hits \\|.*\\n  top: .*\\n  by: ${a.replace(/[.]/g, '\\.')} 6, ${b.replace(/[.]/g, '\\.')} 1\\n`),
    );
    const vhosts = join(dir, 'other_vhosts_access.log');
    const vline = (v: string, s: number): string => `${v} ${combinedLine(s)}`;
    writeFileSync(
      vhosts,
      text([vline('shop.example:443', 1), vline('blog.example:80', 2), vline('shop.example:80', 3), vline('shop.example:443', 12)]),
    );
    const byVhost = await runCli([vhosts, '--once', '--json', '--by', 'vhost', '--format', 'vhost_combined']);
    assert.equal(byVhost.code, 0, byVhost.stderr);
    assert.deepEqual(
      ndjson(byVhost.stdout)
        .filter((e) => e['type'] === 'stats')
        .map((e) => e['by']),
      [
        [
          { name: 'shop.example', hits: 2 },
          { name: 'blog.example', hits: 1 },
        ],
        [{ name: 'shop.example', hits: 1 }],
      ],
    );
  });

  it('bad input: one line, exit 2', async () => {
    const dir = tempDir();
    const log = join(dir, 'access.log');
    writeFileSync(log, text(lines('e', 0, 3, () => 1)));
    for (const [args, message] of [
      [[log, '--once', '--since', 'yesterday'], /^apachescan: --since must be a time like .*'yesterday'\n$/],
      [[log, '--once', '--until', '2026-02-30'], /^apachescan: --until must be a time like/],
      [[log, '--once', '--since', '2026-01-02', '--until', '2026-01-01'], /^apachescan: --since must be before --until\n$/],
      [[join(dir, '*.nothing'), '--once'], /^apachescan: no file matches .*\*\.nothing\n$/],
      [[log, join(dir, 'missing.log'), '--once'], /^apachescan: cannot read .*missing\.log: no such file\n$/],
      [[log, '-', '--once'], /^apachescan: - \(standard input\) cannot be read together with files\n$/],
    ] as const) {
      const result = await runCli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split('\n').length, 2, result.stderr);
    }
  });
});

describe('several files, following', () => {
  it('a quiet log does not hold the others back; a new file matching the glob joins; a compressed one is read once', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'quiet.access.log'), '');
    const zipped = lines('zipped', 0, 2, () => 1);
    writeFileSync(join(dir, 'zipped.access.log'), gzipSync(text(zipped)));
    writeFileSync(join(dir, 'busy.access.log'), '');
    const run = startFollower([
      join(dir, '*.access.log'),
      '--json',
      '--no-checkpoint',
      '--interval',
      '1',
      '--lateness',
      '0',
      '--idle-timeout',
      '1',
      '--threshold',
      '1000',
    ]);
    await run.waitFor('the follower to start', () => run.stderr() !== '' || run.pid > 0, 5000);
    const busy = lines('busy', 0, 6, () => 3);
    appendFileSync(join(dir, 'busy.access.log'), text(busy));
    // [0,1) .. [4,5) close with the busy log's lines alone: the quiet one is idle.
    await run.waitFor('windows closed while one log is quiet', () => totalHits(run.events) >= 15, 20_000);
    const late = lines('newsite', 7, 9, () => 2);
    writeFileSync(join(dir, 'new.access.log'), text(late));
    await run.waitFor(
      'the new file matching the glob',
      () => statsOf(run.events).some((e) => (e['sections'] as { name: string }[]).some((x) => x.name === '/newsite')),
      20_000,
    );
    const exit = await run.stop('SIGINT');
    assert.deepEqual(exit, { code: 0, signal: null });
    const summary = run.events.at(-1) as Event;
    const n = busy.length + late.length + zipped.length;
    assert.deepEqual(summary, { type: 'summary', lines: n, parsed: n, invalid: 0, late: 0 });
  });

  it("a glob with --history that also matches the rotated siblings ('dir/*'): each read once, as history, then the log followed", async () => {
    const dir = tempDir();
    const log = join(dir, 'shop.log');
    const parts = [lines('s', 0, 5, () => 2), lines('s', 5, 10, () => 3), lines('s', 10, 15, () => 1)];
    writeFileSync(`${log}.2.gz`, gzipSync(text(parts[0] as string[])));
    writeFileSync(`${log}.1`, text(parts[1] as string[]));
    writeFileSync(log, text(parts[2] as string[]));
    const run = startFollower([
      join(dir, '*'),
      '--history',
      '--json',
      '--no-checkpoint',
      '--interval',
      '1',
      '--lateness',
      '0',
      '--idle-timeout',
      '1',
      '--threshold',
      '1000',
    ]);
    const n = parts.flat().length;
    await run.waitFor('every line counted', () => totalHits(run.events) >= n, 20_000);
    const later = lines('s', 15, 17, () => 2);
    appendFileSync(log, text(later));
    await run.waitFor('the appended lines', () => totalHits(run.events) >= n + later.length, 20_000);
    assert.deepEqual(await run.stop('SIGINT'), { code: 0, signal: null });
    assert.deepEqual(
      run.events.at(-1),
      { type: 'summary', lines: n + later.length, parsed: n + later.length, invalid: 0, late: 0 },
      'each line once',
    );
  });

  it('--from-end: the files there at the start are read from their end; a file created later from its start', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.access.log');
    const b = join(dir, 'b.access.log');
    writeFileSync(a, text(lines('old', 0, 5, () => 2)));
    writeFileSync(b, text(lines('old', 0, 5, () => 1)));
    const run = startFollower([
      join(dir, '*.access.log'),
      '--from-end',
      '--json',
      '--no-checkpoint',
      '--interval',
      '1',
      '--lateness',
      '0',
      '--idle-timeout',
      '1',
      '--threshold',
      '1000',
    ]);
    await run.waitFor('a and b opened', () => hasOpen(run.pid, a) && hasOpen(run.pid, b), 10_000);
    const hitsOf = (name: string): number =>
      statsOf(run.events).reduce(
        (n, e) => n + ((e['sections'] as { name: string; hits: number }[]).find((x) => x.name === name)?.hits ?? 0),
        0,
      );
    // The end is taken just after opening: probe lines until one is counted (bounded), then the real ones.
    for (let probe = 0; hitsOf('/probe') === 0; probe++) {
      assert.ok(probe < 20, 'a probe line appended after the start is counted');
      appendFileSync(a, `${line('probe', 5)}\n`);
      await run.waitFor('a probe', () => hitsOf('/probe') > 0, 2_000).catch(() => undefined);
    }
    const fresh = lines('fresh', 10, 13, () => 2);
    appendFileSync(a, text(fresh));
    // Far ahead in event time: the clock may move the watermark while the glob is expanded again.
    const born = lines('born', 60, 62, () => 1);
    writeFileSync(join(dir, 'c.access.log'), text(born));
    await run.waitFor('the new lines', () => hitsOf('/fresh') + hitsOf('/born') >= fresh.length + born.length - 1, 20_000);
    await run.stop('SIGINT');
    assert.equal(hitsOf('/fresh'), fresh.length);
    assert.equal(hitsOf('/born'), born.length);
    assert.equal(hitsOf('/old'), 0, 'nothing of what was there');
    // A probe appended while an earlier one was still on its way is late (its interval closed).
    const summary = run.events.at(-1) as Event;
    const n = fresh.length + born.length + hitsOf('/probe') + (summary['late'] as number);
    assert.deepEqual(summary, { type: 'summary', lines: n, parsed: n, invalid: 0, late: summary['late'] });
  });

  it('one checkpoint for all files (--history): kill -9, a rotation while down, restart: the intervals of --once, none twice, history not read again', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.access.log');
    const b = join(dir, 'b.access.log');
    const checkpoint = join(dir, 'state', 'files.json');
    const a0 = lines('a', 0, 10, () => 1);
    const a1 = lines('a', 10, 40, () => 3);
    const b1 = lines('b', 0, 40, (s) => (s % 2 === 0 ? 1 : 0));
    writeFileSync(`${a}.2.gz`, gzipSync(text(a0)));
    writeFileSync(a, text(a1));
    writeFileSync(b, text(b1));
    const args = [
      join(dir, '*.access.log'),
      '--history',
      '--json',
      '--checkpoint',
      checkpoint,
      '--interval',
      '1',
      '--lateness',
      '0',
      '--idle-timeout',
      '1',
      '--threshold',
      '1000',
    ];
    const first = startFollower(args);
    await first.waitFor('windows of the first lines', () => statsOf(first.events).some((e) => e['end'] === '2026-01-01T00:00:30Z'), 20_000);
    await first.waitFor('a checkpoint', () => existsSync(checkpoint), 10_000);
    await first.stop('SIGKILL');
    // While down: a rotated (rename + create) with more lines in both; b grows.
    const a2 = lines('a', 40, 60, () => 2);
    const a3 = lines('a', 60, 80, () => 2);
    const b2 = lines('b', 40, 80, (s) => (s % 4 === 0 ? 1 : 0));
    appendFileSync(a, text(a2));
    renameSync(a, `${a}.1`);
    writeFileSync(a, text(a3));
    appendFileSync(b, text(b2));
    const second = startFollower(args);
    await second.waitFor('the last window', () => statsOf(second.events).some((e) => e['end'] === '2026-01-01T00:01:19Z'), 20_000);
    const exit = await second.stop('SIGINT');
    assert.deepEqual(exit, { code: 0, signal: null });
    const expected = await onceOn(
      mergedByTime([
        [...a0, ...a1, ...a2, ...a3],
        [...b1, ...b2],
      ]),
      ['--interval', '1', '--lateness', '0', '--threshold', '1000'],
    );
    // A kill landing after a report was written but before the checkpoint file counted it as
    // sent (microseconds) has the restart report it again, unchanged: the one in flight.
    const before = statsOf(first.events);
    const after = statsOf(second.events);
    let repeated = 0;
    for (let m = Math.min(1, before.length, after.length); m > 0 && repeated === 0; m--) {
      if (JSON.stringify(after.slice(0, m)) === JSON.stringify(before.slice(-m))) repeated = m;
    }
    const reported = [...before, ...after.slice(repeated)];
    assert.deepEqual(
      reported,
      statsOf(expected).slice(0, reported.length),
      `every interval once, as --once reports it (${repeated} repeated right after the kill)`,
    );
    assert.ok(
      reported.length >= statsOf(expected).length - 1,
      `all but the open window: ${reported.length} of ${statsOf(expected).length}`,
    );
  });

  it('kill -9 while catching up on a large backlog in three files: the restart reports every interval once, as --once', async () => {
    const dir = tempDir();
    const names = ['shop', 'blog', 'api'];
    const backlog = names.map((vhost, k) => lines(vhost, k, 3000, (s) => ((s + k) % 7 === 0 ? 30 : 8 + k)));
    for (const [k, vhost] of names.entries()) writeFileSync(join(dir, `${vhost}.access.log`), text(backlog[k] as string[]));
    const checkpoint = join(dir, 'files.json');
    const args = [
      join(dir, '*.access.log'),
      '--json',
      '--checkpoint',
      checkpoint,
      '--interval',
      '10',
      '--lateness',
      '0',
      '--idle-timeout',
      '1',
      '--threshold',
      '1000',
    ];
    const first = startFollower(args);
    await first.waitFor('some windows', () => statsOf(first.events).length >= 20, 30_000);
    await first.stop('SIGKILL');
    const second = startFollower(args);
    await second.waitFor('the last window', () => statsOf(second.events).some((e) => e['end'] === '2026-01-01T00:50:00Z'), 60_000);
    assert.deepEqual(await second.stop('SIGINT'), { code: 0, signal: null });
    const expected = statsOf(await onceOn(mergedByTime(backlog), ['--interval', '10', '--lateness', '0', '--threshold', '1000']));
    const before = statsOf(first.events);
    const after = statsOf(second.events);
    // At most the report in flight at the kill comes again, unchanged.
    const repeated = after.length > 0 && before.length > 0 && JSON.stringify(after[0]) === JSON.stringify(before.at(-1)) ? 1 : 0;
    const reported = [...before, ...after.slice(repeated)];
    assert.deepEqual(reported, expected, `every interval once (${before.length} before the kill, ${repeated} repeated)`);
  });

  it('done when: three vhost logs (one quiet), their gzip history and a live file rotated by logrotate give, with --history and a glob, the events of --once on all their lines merged by time', {
    skip: existsSync(LOGROTATE) ? false : 'logrotate is not installed',
  }, async () => {
    const dir = tempDir();
    const shop = join(dir, 'shop.access.log');
    const blog = join(dir, 'blog.access.log');
    const quiet = join(dir, 'quiet.access.log');
    const burst = (s: number): number => (s >= 120 && s < 170 ? 5 : s % 4 === 0 ? 1 : 0);
    const shopParts = [
      lines('shop', 0, 100, burst),
      lines('shop', 100, 200, burst),
      lines('shop', 200, 300, burst),
      lines('shop', 300, 400, burst),
    ];
    const blogParts = [
      lines('blog', 10, 150, (s) => (s % 5 === 0 ? 2 : 0)),
      lines('blog', 150, 300, (s) => (s >= 250 && s < 280 ? 4 : 0)),
      lines('blog', 300, 390, (s) => (s % 7 === 0 ? 1 : 0)),
    ];
    const quietParts = [lines('quiet', 20, 23, () => 1), lines('quiet', 95, 96, () => 1)];
    writeFileSync(`${shop}.3.gz`, gzipSync(text(shopParts[0] as string[])));
    writeFileSync(`${shop}.2.gz`, gzipSync(text(shopParts[1] as string[])));
    writeFileSync(`${shop}.1`, text(shopParts[2] as string[]));
    writeFileSync(shop, text(shopParts[3] as string[]));
    writeFileSync(`${blog}.2.gz`, gzipSync(text(blogParts[0] as string[])));
    writeFileSync(`${blog}.1`, text(blogParts[1] as string[]));
    writeFileSync(blog, text(blogParts[2] as string[]));
    writeFileSync(`${quiet}.1.gz`, gzipSync(text(quietParts[0] as string[])));
    writeFileSync(quiet, text(quietParts[1] as string[]));
    const live1 = lines('shop', 400, 450, burst);
    const live2 = lines('shop', 450, 500, (s) => (s < 470 ? 6 : 1));
    const all = mergedByTime([shopParts.flat().concat(live1, live2), blogParts.flat(), quietParts.flat()]);
    const expected = await onceOn(all, ANALYSIS);
    assert.ok(alertsOf(expected).length >= 3, `the case fires and recovers: ${JSON.stringify(alertsOf(expected))}`);

    const run = startFollower([join(dir, '*.access.log'), '--history', '--json', '--no-checkpoint', '--idle-timeout', '3', ...ANALYSIS]);
    // The history and the live files are read: windows up to [390,400) close (lateness 0).
    await run.waitFor('the history and live files', () => statsOf(run.events).some((e) => e['end'] === '2026-01-01T00:06:40Z'), 30_000);
    appendFileSync(shop, text(live1));
    await run.waitFor('the lines before the rotation', () => statsOf(run.events).some((e) => e['end'] === '2026-01-01T00:07:20Z'), 20_000);
    const conf = join(dir, 'logrotate.conf');
    writeFileSync(conf, `${shop} {\n  rotate 5\n  compress\n  delaycompress\n  create\n  missingok\n}\n`);
    execFileSync(LOGROTATE, ['-f', '-s', join(dir, 'logrotate.state'), conf]);
    assert.ok(existsSync(`${shop}.4.gz`) && existsSync(`${shop}.2.gz`) && existsSync(`${shop}.1`), 'logrotate shifted the history');
    appendFileSync(shop, text(live2));
    const lastEnd = expected.filter((e) => e['type'] === 'stats').at(-1)?.['end'];
    await run.waitFor('the last interval', () => statsOf(run.events).some((e) => e['end'] === lastEnd), 20_000);
    const exit = await run.stop('SIGINT');
    assert.deepEqual(exit, { code: 0, signal: null });
    // Following, windows may also close by the clock after the last line: compare up to the last interval of the data.
    const upToLast = (events: readonly Event[]): Event[] =>
      events.filter(
        (e) =>
          (e['type'] === 'stats' && (e['end'] as string) <= (lastEnd as string)) ||
          (e['type'] === 'alert' && (e['at'] as string) <= (lastEnd as string)),
      );
    assert.deepEqual(upToLast(run.events), upToLast(expected));
    assert.deepEqual(run.events.at(-1), expected.at(-1), 'same summary: every line counted once');
  });
});
