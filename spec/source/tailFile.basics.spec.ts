/** tailFile: start options, latency, UTF-8, overlong lines, warnings, and clean teardown. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { VirtualTimeScheduler, firstValueFrom, take, toArray, type SchedulerLike } from 'rxjs';
import { tailLines } from '../../src/source/tailFile.js';
import { OVERLONG_LINE } from '../../src/source/overlong.js';
import { isRotatedName } from '../../src/source/rotatedFiles.js';
import { follow, cleanUp } from '../helpers/follow.js';
import { hasOpen } from '../helpers/follower.js';
import { waitFor } from '../helpers/writer.js';
import { tempDir } from '../helpers/tempDir.js';
import { ManualScheduler, settle } from '../helpers/manualScheduler.js';

after(cleanUp);

describe('tailFile basics', () => {
  it('reads from startOffset, then what is appended', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'a\nb\nc\n');
    const f = follow(p, { startOffset: 2 });
    assert.ok(await waitFor(() => f.lines.length >= 2, 10_000));
    appendFileSync(p, 'd\n');
    assert.ok(await waitFor(() => f.lines.length >= 3, 10_000));
    f.stop();
    assert.deepEqual(f.lines, ['b', 'c', 'd']);
    assert.deepEqual(
      f.chunks.map((c) => [c.start, c.ends]),
      [
        [2, [4, 6]],
        [6, [8]],
      ],
    );
    assert.equal(f.chunks.at(-1)?.position.offset, 8);
  });

  it('fromEnd skips what is there, up to the last complete line', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'old\nold\nhalf');
    const f = follow(p, { fromEnd: true });
    // The end is taken right after the file is opened: append once it is open.
    assert.ok(await waitFor(() => hasOpen(process.pid, p), 10_000), 'the file opened');
    appendFileSync(p, ' done\nnew\n');
    assert.ok(await waitFor(() => f.lines.length >= 2, 10_000));
    f.stop();
    assert.deepEqual(f.lines, ['half done', 'new']);
  });

  it('resumes from a saved position, or from 0 with a warning when its file is gone or shorter', async () => {
    const dir = tempDir();
    const p = join(dir, 'access.log');
    writeFileSync(p, 'a\nb\n');
    const first = follow(p);
    assert.ok(await waitFor(() => first.lines.length === 2, 10_000));
    first.stop();
    const saved = first.chunks.at(-1)?.position;
    assert.ok(saved !== undefined);
    appendFileSync(p, 'c\n');
    const resumed = follow(p, { startPosition: saved });
    assert.ok(await waitFor(() => resumed.lines.length === 1, 10_000));
    resumed.stop();
    assert.deepEqual([resumed.lines, resumed.warnings], [['c'], []]);
    writeFileSync(p, 'a\n'); // truncated below the saved offset, no copy
    const truncated = follow(p, { startPosition: saved });
    assert.ok(await waitFor(() => truncated.lines.length === 1, 10_000));
    truncated.stop();
    assert.deepEqual(truncated.lines, ['a']);
    assert.match(truncated.warnings.join(), /gone or truncated/);
  });

  it('knows rotated names: <base>.N and <base>-date, not .gz or .bak', () => {
    const names = ['access.log.1', 'access.log.12', 'access.log-20240611', 'access.log-2024-06-11'];
    const others = ['access.log', 'access.log.1.gz', 'access.log.bak', 'access.log-20240611.gz', 'error.log.1'];
    assert.deepEqual(
      names.map((n) => isRotatedName('access.log', n)),
      [true, true, true, true],
    );
    assert.deepEqual(
      others.map((n) => isRotatedName('access.log', n)),
      [false, false, false, false, false],
    );
  });

  it('reads on fs.watch events, coalesced: 50 writes within the wake interval are one read, on the scheduler', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, '0 start\n');
    // Virtual time that moves only when the test says: the poll (a minute) never runs, and a
    // read that change events ask for within the wake interval waits for the clock.
    const scheduler = new ManualScheduler();
    const f = follow(p, { pollInterval: 60_000, wakeInterval: 5, scheduler });
    assert.ok(await waitFor(() => f.lines.length === 1, 10_000), 'read at subscription, at once');
    for (let round = 1; round <= 3; round++) {
      for (let i = 1; i <= 50; i++) appendFileSync(p, `${round} ${i} line\n`); // one write per line
      // The first event arms the wake-up (beside the poll timer); no read runs before it.
      assert.ok(await waitFor(() => scheduler.pending === 2, 10_000), `round ${round}: a wake-up armed by the change events`);
      assert.equal(f.chunks.length, round, `round ${round}: no read before the wake interval is up`);
      await scheduler.advance(5);
      assert.ok(await waitFor(() => f.lines.length === 1 + 50 * round, 10_000), `round ${round}: the 50 lines`);
      assert.equal(f.chunks.length, round + 1, `round ${round}: one read for 50 writes`);
    }
    f.stop();
    assert.deepEqual(
      f.lines.slice(1),
      [1, 2, 3].flatMap((r) => Array.from({ length: 50 }, (_, i) => `${r} ${i + 1} line`)),
    );
  });

  it('while changes come faster than the wake interval, closes the watch and reads every interval; watches again once quiet', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, '0 start\n');
    const watchers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const scheduler = new ManualScheduler();
    const f = follow(p, { pollInterval: 60_000, wakeInterval: 5, scheduler });
    assert.ok(await waitFor(() => f.lines.length === 1, 10_000), 'read at subscription');
    // Watchers of earlier tests may still be closing: this one's is one of those counted now.
    await settle();
    const before = watchers() - 1;
    appendFileSync(p, '1\n');
    assert.ok(await waitFor(() => scheduler.pending === 2, 10_000), 'the change arms a wake-up');
    appendFileSync(p, '2\n'); // a second change while the read waits: faster than the interval
    assert.ok(await waitFor(() => watchers() === before, 10_000), 'the watch is closed');
    await scheduler.advance(5);
    assert.ok(await waitFor(() => f.lines.length === 3, 10_000), 'lines 1 and 2, one read');
    appendFileSync(p, '3\n4\n'); // no watch: read at the next wake-up all the same
    await scheduler.advance(5);
    assert.ok(await waitFor(() => f.lines.length === 5, 10_000), 'lines 3 and 4, read without a change event');
    assert.equal(watchers(), before, 'still not watching while the file grows');
    await scheduler.advance(5); // a read that finds nothing: watch again, then one more read
    assert.ok(await waitFor(() => watchers() === before + 1, 10_000), 'watching again once quiet');
    await scheduler.advance(5);
    assert.ok(await waitFor(() => scheduler.pending === 1, 10_000), 'then only the poll timer: no read without a change');
    await scheduler.advance(50);
    appendFileSync(p, '5\n');
    assert.ok(await waitFor(() => f.lines.length === 6, 10_000), 'a change is read at once again');
    f.stop();
    assert.deepEqual(f.lines, ['0 start', '1', '2', '3', '4', '5']);
    assert.equal(f.chunks.length, 4, 'one read per wake-up that found lines');
  });

  it('reads an isolated change at once, without waiting for the clock', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, '0 start\n');
    const scheduler = new ManualScheduler();
    const f = follow(p, { pollInterval: 60_000, wakeInterval: 5, scheduler });
    assert.ok(await waitFor(() => f.lines.length === 1, 10_000));
    await scheduler.advance(5); // the wake interval since the first read is up
    appendFileSync(p, '1 line\n');
    assert.ok(await waitFor(() => f.lines.length === 2, 10_000), 'read on the change event alone');
    f.stop();
  });

  it('polls on the injected scheduler when not watching', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, '0 start\n');
    const delays: number[] = [];
    // Virtual time: a poll happens only when the test moves the clock.
    const scheduler = new VirtualTimeScheduler();
    const poll = (): void => {
      scheduler.maxFrames = scheduler.frame + 100;
      scheduler.flush();
    };
    const spy: SchedulerLike = {
      now: () => scheduler.now(),
      schedule: ((work: () => void, delay?: number) => {
        delays.push(delay ?? 0);
        return scheduler.schedule(work, delay);
      }) as SchedulerLike['schedule'],
    };
    const watchers = process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const f = follow(p, { watch: false, pollInterval: 100, scheduler: spy });
    assert.ok(await waitFor(() => f.lines.length === 1, 10_000), 'read at subscription');
    for (let i = 1; i <= 3; i++) {
      appendFileSync(p, `${i} line\n`);
      assert.ok(
        await waitFor(() => {
          if (f.lines.length === i + 1) return true;
          poll();
          return false;
        }, 10_000),
        `line ${i} seen after a poll`,
      );
    }
    assert.ok(process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length <= watchers, 'no watcher');
    f.stop();
    assert.ok(delays.includes(100), 'the poll timer is on the given scheduler');
  });

  it('flags a 100 KiB line (read as OVERLONG_LINE); the next line is fine (split across reads: fileFollower.spec.ts)', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'a\n');
    const f = follow(p);
    const lines = firstValueFrom(tailLines(p).pipe(take(3), toArray()));
    appendFileSync(p, 'x'.repeat(60 * 1024));
    appendFileSync(p, `${'x'.repeat(40 * 1024)}\nb\n`);
    assert.ok(await waitFor(() => f.lines.length === 3, 10_000));
    f.stop();
    assert.deepEqual(f.chunks.flatMap((c, i) => c.overlong.map((k) => [i, k])).length, 1);
    assert.deepEqual(f.lines, ['a', OVERLONG_LINE, 'b']);
    assert.deepEqual(await lines, ['a', OVERLONG_LINE, 'b']);
  });

  it('warns about a directory at the path and keeps trying, without error', async () => {
    const p = join(tempDir(), 'access.log');
    mkdirSync(p);
    const f = follow(p, { pollInterval: 50 });
    assert.ok(await waitFor(() => f.warnings.length > 0, 10_000));
    rmdirSync(p);
    writeFileSync(p, 'line\n');
    assert.ok(await waitFor(() => f.lines.length === 1, 10_000));
    f.stop();
    assert.deepEqual(f.errors, []);
    assert.match(f.warnings[0] ?? '', /not a regular file/);
  });

  it('closes its watcher and files on unsubscribe', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'a\n');
    const count = (name: string) => process.getActiveResourcesInfo().filter((r) => r === name).length;
    // What is open now, give or take what earlier tests are still closing: a leak only adds.
    const before = [count('FSEventWrap'), count('FileHandle')];
    const f = follow(p);
    try {
      assert.ok(await waitFor(() => f.lines.length === 1, 10_000));
      assert.ok(count('FSEventWrap') >= 1, 'a watcher while following');
    } finally {
      f.stop();
    }
    assert.ok(
      await waitFor(() => count('FSEventWrap') <= (before[0] ?? 0) && count('FileHandle') <= (before[1] ?? 0), 10_000),
      `watchers ${count('FSEventWrap')}, file handles ${count('FileHandle')}; before ${before.join(', ')}`,
    );
  });

  it('lets the process exit after unsubscribing, with a rotated file still in its grace period', async () => {
    const dir = tempDir();
    const p = join(dir, 'access.log');
    writeFileSync(p, 'first\n');
    const module = new URL('../../src/source/tailFile.js', import.meta.url).href;
    const script = join(dir, 'child.mjs');
    writeFileSync(
      script,
      `import { tailLines } from ${JSON.stringify(module)};
       const sub = tailLines(process.argv[2], { rotateGrace: 3_600_000 }).subscribe((line) => {
         console.log(line);
         if (line === 'second') sub.unsubscribe();
       });`,
    );
    const child = spawn(process.execPath, [script, p], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.ok(await waitFor(() => out.includes('first'), 10_000), 'child read the first line');
    renameSync(p, `${p}.1`);
    writeFileSync(p, 'second\n');
    assert.ok(await waitFor(() => out.includes('second'), 10_000), 'child read the new file');
    // The grace period is an hour: a timer or handle it left behind would keep the child alive
    // far beyond this bounded wait.
    const timer = new AbortController();
    const timeout = delay(30_000, 'timeout' as const, { signal: timer.signal }).catch(() => 'cancelled' as const);
    const code = await Promise.race([exited, timeout]);
    timer.abort();
    if (code === 'timeout') child.kill('SIGKILL');
    assert.equal(code, 0, 'the child exited on its own');
  });
});
