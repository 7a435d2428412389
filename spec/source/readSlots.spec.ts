/**
 * The bound on files read at once in a replay (src/source/readSlots.ts): a glob of thousands
 * opens them a few at a time; a file paused by the merge gives its slot back, so files waiting
 * for one never wait on a file that waits for them.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, map, toArray, type Observable } from 'rxjs';
import { ReadSlots } from '../../src/source/readSlots.js';
import { streamedLogFile } from '../../src/source/streamedLogFile.js';
import { parseAccessLog } from '../../operators/parseAccessLog.js';
import { mergeByTime } from '../../operators/mergeByTime.js';
import type { RecordBatch } from '../../src/parse/recordBatch.js';
import { withPause, pauseOf } from '../../src/core/pausable.js';

const dir = mkdtempSync(join(tmpdir(), 'apachescan-slots-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const line = (s: number): string =>
  `10.0.0.1 - - [10/Oct/2026:10:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} +0000] "GET /a HTTP/1.1" 200 10`;

test('at most N slots are held at once; a cancelled wait is skipped; a slot given back twice counts once', async () => {
  const slots = new ReadSlots(2);
  const releases: (() => void)[] = [];
  const subscriptions = Array.from({ length: 5 }, () => slots.take().subscribe((release) => releases.push(release)));
  assert.equal(releases.length, 2);
  subscriptions[2]?.unsubscribe(); // gave up waiting
  releases[0]?.();
  releases[0]?.();
  assert.equal(releases.length, 3, 'one slot back, one more granted (the cancelled wait skipped)');
  releases[1]?.();
  releases[2]?.();
  assert.equal(releases.length, 4);
});

test('files merged with 2 slots: small ones read in turn, big ones paused by the merge give theirs back, all lines out in time order', async () => {
  const paths: string[] = [];
  for (let f = 0; f < 6; f++) {
    // Files 0 and 1 are big (the merge pauses them), the others small; every file spans the same times.
    const count = f < 2 ? 20_000 : 5;
    const path = join(dir, `f${f}.log`);
    writeFileSync(path, `${Array.from({ length: count }, (_, i) => line(Math.floor((i * 3000) / count) + f)).join('\n')}\n`);
    paths.push(path);
  }
  const slots = new ReadSlots(2);
  const sources: Observable<RecordBatch>[] = paths.map((path) => {
    const file = streamedLogFile(path, slots);
    const control = pauseOf(file);
    const parsed = file.pipe(parseAccessLog());
    return control === undefined ? parsed : withPause(parsed, control);
  });
  // Batches are lent: their times are read as they come.
  const times: number[] = [];
  const timesOf = (batch: RecordBatch): number => {
    for (let row = 0; row < batch.count; row++) times.push(batch.status[row] === 0 ? NaN : (batch.times[row] as number));
    return batch.count;
  };
  await lastValueFrom(from(sources).pipe(mergeByTime({ highWaterMark: 256 }), map(timesOf), toArray()));
  assert.equal(times.length, 2 * 20_000 + 4 * 5);
  for (let i = 1; i < times.length; i++) assert.ok((times[i - 1] as number) <= (times[i] as number), `in time order at ${i}`);
});
