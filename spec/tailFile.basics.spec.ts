/** tailFile: start options, latency, UTF-8, overlong lines, warnings, and clean teardown. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { asyncScheduler, firstValueFrom, take, toArray, type SchedulerLike } from 'rxjs';
import { tailLines } from '../src/source/tailFile.js';
import { OVERLONG_LINE } from '../src/source/overlong.js';
import { isRotatedName } from '../src/source/rotatedFiles.js';
import { follow, cleanUp, tempDir } from './helpers/follow.js';
import { sleep, waitFor } from './helpers/writer.js';

after(cleanUp);

describe('tailFile basics', () => {
  it('reads from startOffset, then what is appended', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'a\nb\nc\n');
    const f = follow(p, { startOffset: 2 });
    assert.ok(await waitFor(() => f.lines.length >= 2, 2000));
    appendFileSync(p, 'd\n');
    assert.ok(await waitFor(() => f.lines.length >= 3, 2000));
    f.stop();
    assert.deepEqual(f.lines, ['b', 'c', 'd']);
    assert.deepEqual(f.chunks.map((c) => [c.start, c.ends]), [[2, [4, 6]], [6, [8]]]);
    assert.equal(f.chunks.at(-1)?.position.offset, 8);
  });

  it('fromEnd skips what is there, up to the last complete line', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'old\nold\nhalf');
    const f = follow(p, { fromEnd: true });
    await sleep(100);
    appendFileSync(p, ' done\nnew\n');
    assert.ok(await waitFor(() => f.lines.length >= 2, 2000));
    f.stop();
    assert.deepEqual(f.lines, ['half done', 'new']);
  });

  it('resumes from a saved position, or from 0 with a warning when its file is gone or shorter', async () => {
    const dir = tempDir();
    const p = join(dir, 'access.log');
    writeFileSync(p, 'a\nb\n');
    const first = follow(p);
    assert.ok(await waitFor(() => first.lines.length === 2, 2000));
    first.stop();
    const saved = first.chunks.at(-1)?.position;
    assert.ok(saved !== undefined);
    appendFileSync(p, 'c\n');
    const resumed = follow(p, { startPosition: saved });
    assert.ok(await waitFor(() => resumed.lines.length === 1, 2000));
    resumed.stop();
    assert.deepEqual([resumed.lines, resumed.warnings], [['c'], []]);
    writeFileSync(p, 'a\n'); // truncated below the saved offset, no copy
    const truncated = follow(p, { startPosition: saved });
    assert.ok(await waitFor(() => truncated.lines.length === 1, 2000));
    truncated.stop();
    assert.deepEqual(truncated.lines, ['a']);
    assert.match(truncated.warnings.join(), /gone or truncated/);
  });

  it('knows rotated names: <base>.N and <base>-date, not .gz or .bak', () => {
    const names = ['access.log.1', 'access.log.12', 'access.log-20240611', 'access.log-2024-06-11'];
    const others = ['access.log', 'access.log.1.gz', 'access.log.bak', 'access.log-20240611.gz', 'error.log.1'];
    assert.deepEqual(names.map((n) => isRotatedName('access.log', n)), [true, true, true, true]);
    assert.deepEqual(others.map((n) => isRotatedName('access.log', n)), [false, false, false, false, false]);
  });

  it('sees an appended line within 1 s (measured)', async (t) => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, '0 start\n');
    const f = follow(p);
    assert.ok(await waitFor(() => f.lines.length === 1, 2000));
    const latencies: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const written = performance.now();
      appendFileSync(p, `${i} line\n`);
      assert.ok(await waitFor(() => f.lines.length === i + 1, 2000), `line ${i} seen`);
      latencies.push((f.arrivals.at(-1) ?? Infinity) - written);
      await sleep(50);
    }
    f.stop();
    t.diagnostic(`latency ms: ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    assert.ok(Math.max(...latencies) < 1000);
  });

  it('polls on the injected scheduler when not watching; sees a line within 1 s (measured)', async (t) => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, '0 start\n');
    const delays: number[] = [];
    const scheduler: SchedulerLike = {
      now: () => asyncScheduler.now(),
      schedule: ((work: () => void, delay?: number) => {
        delays.push(delay ?? 0);
        return asyncScheduler.schedule(work, delay);
      }) as SchedulerLike['schedule'],
    };
    const watchers = process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const f = follow(p, { watch: false, pollInterval: 100, scheduler });
    assert.ok(await waitFor(() => f.lines.length === 1, 2000));
    const latencies: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const written = performance.now();
      appendFileSync(p, `${i} line\n`);
      assert.ok(await waitFor(() => f.lines.length === i + 1, 2000), `line ${i} seen`);
      latencies.push((f.arrivals.at(-1) ?? Infinity) - written);
    }
    assert.ok(process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length <= watchers, 'no watcher');
    f.stop();
    t.diagnostic(`poll-only latency ms: ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    assert.ok(delays.includes(100), 'the poll timer is on the given scheduler');
    assert.ok(Math.max(...latencies) < 1000);
  });

  it('decodes a multi-byte character split across two writes whole', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, '');
    const f = follow(p);
    const bytes = Buffer.from('price: 5€ 😀\n');
    const cut = bytes.indexOf(0xe2) + 1;
    appendFileSync(p, bytes.subarray(0, cut));
    await sleep(300);
    appendFileSync(p, bytes.subarray(cut));
    assert.ok(await waitFor(() => f.lines.length === 1, 2000));
    f.stop();
    assert.deepEqual(f.lines, ['price: 5€ 😀']);
  });

  it('cuts and flags a 100 KiB line; the next line is fine', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'a\n');
    const f = follow(p);
    const lines = firstValueFrom(tailLines(p).pipe(take(3), toArray()));
    await sleep(100);
    appendFileSync(p, 'x'.repeat(60 * 1024));
    await sleep(100);
    appendFileSync(p, `${'x'.repeat(40 * 1024)}\nb\n`);
    assert.ok(await waitFor(() => f.lines.length === 3, 2000));
    f.stop();
    assert.deepEqual(f.chunks.flatMap((c, i) => c.overlong.map((k) => [i, k])).length, 1);
    const cut = f.lines[1] ?? '';
    assert.deepEqual([f.lines[0], cut.length, f.lines[2]], ['a', 65536, 'b']);
    assert.deepEqual(await lines, ['a', OVERLONG_LINE, 'b']);
  });

  it('warns about a directory at the path and keeps trying, without error', async () => {
    const p = join(tempDir(), 'access.log');
    mkdirSync(p);
    const f = follow(p, { pollInterval: 50 });
    assert.ok(await waitFor(() => f.warnings.length > 0, 2000));
    rmdirSync(p);
    writeFileSync(p, 'line\n');
    assert.ok(await waitFor(() => f.lines.length === 1, 2000));
    f.stop();
    assert.deepEqual(f.errors, []);
    assert.match(f.warnings[0] ?? '', /not a regular file/);
  });

  it('closes its watcher and files on unsubscribe', async () => {
    const p = join(tempDir(), 'access.log');
    writeFileSync(p, 'a\n');
    const count = (name: string) => process.getActiveResourcesInfo().filter((r) => r === name).length;
    await sleep(200); // handles of earlier tests finish closing
    const before = [count('FSEventWrap'), count('FileHandle')];
    const f = follow(p);
    try {
      assert.ok(await waitFor(() => f.lines.length === 1, 2000));
      assert.equal(count('FSEventWrap'), (before[0] ?? 0) + 1);
    } finally {
      f.stop();
    }
    assert.ok(await waitFor(() => count('FSEventWrap') === before[0] && count('FileHandle') === before[1], 1000));
  });

  it('lets the process exit after unsubscribing, with a rotated file still in its grace period', async () => {
    const dir = tempDir();
    const p = join(dir, 'access.log');
    writeFileSync(p, 'first\n');
    const module = new URL('../src/source/tailFile.js', import.meta.url).href;
    const script = join(dir, 'child.mjs');
    writeFileSync(
      script,
      `import { tailLines } from ${JSON.stringify(module)};
       const sub = tailLines(process.argv[2], { rotateGrace: 10000 }).subscribe((line) => {
         console.log(line);
         if (line === 'second') sub.unsubscribe();
       });`,
    );
    const child = spawn(process.execPath, [script, p], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.ok(await waitFor(() => out.includes('first'), 3000), 'child read the first line');
    renameSync(p, `${p}.1`);
    writeFileSync(p, 'second\n');
    assert.ok(await waitFor(() => out.includes('second'), 3000), 'child read the new file');
    const seen = performance.now();
    const timer = new AbortController();
    const timeout = delay(3000, 'timeout' as const, { signal: timer.signal }).catch(() => 'cancelled' as const);
    const code = await Promise.race([exited, timeout]);
    timer.abort();
    if (code === 'timeout') child.kill('SIGKILL');
    assert.equal(code, 0, 'the child exited on its own');
    assert.ok(performance.now() - seen < 3000);
  });
});
