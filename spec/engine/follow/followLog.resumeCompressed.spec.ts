/**
 * Issue 20: a rotation while running, then a crash while the window of the lines before it is
 * still open (the checkpoint's replay position is in the rotated file, its processed one in the
 * new file), then a second rotation while down with `compress` + `delaycompress`: the saved
 * file is now `access.log.2.gz` (a new inode), the other `access.log.1`. The restart must read
 * the rest of the .gz (its open window's lines again), `.1`, then the live file: every line
 * once. Deterministic: a manual clock, rotations by hand (zlib), a crash by unsubscribing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Subject, lastValueFrom, toArray, type Subscription } from 'rxjs';
import { followLog, loadFollowCheckpoint, monitor, readLogFile, type MonitorEvent, type SummaryEvent } from '../../../src/index.js';
import { combinedLine } from '../../helpers/cli.js';
import { ManualScheduler, eventually } from '../../helpers/manualScheduler.js';
import { tempDir } from '../../helpers/tempDir.js';

const OPTIONS = { idleTimeout: 3_600_000 } as const;

/** 10 lines a second from `from` to `to` (exclusive) seconds, as file text. */
const seconds = (from: number, to: number): string =>
  Array.from(
    { length: (to - from) * 10 },
    (_, i) => `${combinedLine(from + Math.floor(i / 10), { path: `/s${from + Math.floor(i / 10)}` })}\n`,
  ).join('');

test('rotated while running, killed with its window open, rotated and compressed while down: every line once', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const checkpoint = join(dir, 'checkpoint.json');
  const parts = [seconds(0, 95), seconds(95, 99), seconds(99, 200)];
  writeFileSync(log, parts[0] as string);
  const all = join(dir, 'all.log');
  writeFileSync(all, parts.join(''));
  const replay = await lastValueFrom(monitor(readLogFile(all), OPTIONS).pipe(toArray()));

  /** One run until `done` holds for what it read; then a crash (unsubscribe) or a stop. */
  const run = async (
    clock: ManualScheduler,
    how: 'crash' | 'stop',
    done: (ino: number, offset: number) => boolean,
    between = (): void => undefined,
  ): Promise<MonitorEvent[]> => {
    const saved = await loadFollowCheckpoint(checkpoint, log, OPTIONS);
    const events: MonitorEvent[] = [];
    const stop = new Subject<void>();
    let reached = false;
    let halfway = false;
    const subscription: Subscription = followLog(log, {
      ...OPTIONS,
      scheduler: clock,
      checkpoint: { path: checkpoint, saved },
      stop,
      onRead: ({ ino, offset }) => {
        halfway ||= ino === statSync(log).ino && offset >= statSync(log).size;
        reached ||= done(ino, offset);
      },
    }).subscribe((e) => events.push(e));
    t.after(() => subscription.unsubscribe());
    await eventually(async () => {
      await clock.advance(0);
      return halfway;
    }, 'the file read');
    between();
    await eventually(async () => {
      await clock.advance(250);
      return reached;
    }, 'the lines wanted read');
    await clock.advance(1000); // a save of what was read
    if (how === 'crash') subscription.unsubscribe();
    else stop.next();
    return events;
  };

  // Run 1: reads the first part, the log is rotated (rename + create) and the new file gets
  // the lines of [95 s, 99 s): the window [90 s, 100 s) is still open at the crash.
  const first = await run(
    new ManualScheduler(1_000_000),
    'crash',
    (ino, offset) => ino === statSync(log).ino && offset >= (parts[1] as string).length,
    () => {
      renameSync(log, `${log}.1`);
      writeFileSync(log, parts[1] as string);
    },
  );
  // Down: the second rotation compresses the first file (delaycompress), mtime kept.
  const { atime, mtime } = statSync(`${log}.1`);
  writeFileSync(`${log}.2.gz`, gzipSync(readFileSync(`${log}.1`)));
  utimesSync(`${log}.2.gz`, atime, mtime);
  unlinkSync(`${log}.1`);
  renameSync(log, `${log}.1`);
  writeFileSync(log, '');
  appendFileSync(log, parts[2] as string);
  const size = statSync(log).size;
  const second = await run(new ManualScheduler(2_000_000), 'stop', (ino, offset) => ino === statSync(log).ino && offset >= size);

  const stats = (events: readonly MonitorEvent[]): MonitorEvent[] => events.filter((e) => e.type === 'stats');
  const reported = [...stats(first), ...stats(second)];
  const summary = second.at(-1) as SummaryEvent;
  assert.equal(summary.type, 'summary');
  // Every window reported once, as the replay has it (the last ones held for the next run).
  assert.deepEqual(reported, stats(replay).slice(0, reported.length));
  assert.ok(reported.length >= 18, `windows up to [180 s, 190 s) reported: ${reported.length}`);
  assert.equal(summary.lines + (summary.held ?? 0), (replay.at(-1) as SummaryEvent).lines);
});
