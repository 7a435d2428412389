/**
 * Two crashes in a row: a run resumed from a checkpoint saves again before it reads a new
 * line, then dies. The lines it re-read and dropped (counted before the first crash: here the
 * invalid lines at the end of the backlog) must stay behind the saved position, or the third
 * run counts them again. Deterministic: a manual clock, crashes by unsubscribing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject, lastValueFrom, toArray, type Subscription } from 'rxjs';
import { followLog, loadFollowCheckpoint, monitor, readLogFile, type MonitorEvent, type SummaryEvent } from '../../../src/index.js';
import { combinedLine } from '../../helpers/cli.js';
import { ManualScheduler, eventually } from '../../helpers/manualScheduler.js';
import { tempDir } from '../../helpers/tempDir.js';

const OPTIONS = { idleTimeout: 3_600_000 } as const;

test('a resumed run that saves before any new line, then dies: the next run counts every line once', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const checkpoint = join(dir, 'checkpoint.json');
  // 200 s of traffic, then 40 invalid lines: the last thing in the file, counted at once.
  const lines = [
    ...Array.from({ length: 2000 }, (_, i) => combinedLine(Math.floor(i / 10))),
    ...Array.from({ length: 40 }, (_, i) => `garbage ${i}`),
  ];
  writeFileSync(log, lines.map((l) => `${l}\n`).join(''));
  const size = statSync(log).size;
  const replay = (await lastValueFrom(monitor(readLogFile(log), OPTIONS).pipe(toArray()))).at(-1) as SummaryEvent;

  /** One run until it has read the whole file; then a crash (unsubscribe) or a stop. */
  const run = async (clock: ManualScheduler, how: 'crash' | 'stop'): Promise<MonitorEvent[]> => {
    const saved = await loadFollowCheckpoint(checkpoint, log, OPTIONS);
    const events: MonitorEvent[] = [];
    const stop = new Subject<void>();
    let readAll = false;
    const subscription: Subscription = followLog(log, {
      ...OPTIONS,
      scheduler: clock,
      checkpoint: { path: checkpoint, saved },
      stop,
      onRead: ({ offset }) => void (offset >= size && (readAll = true)),
    }).subscribe((e) => events.push(e));
    t.after(() => subscription.unsubscribe());
    await eventually(async () => {
      await clock.advance(0);
      return readAll;
    }, 'the whole file read');
    // Time for a save of what was read (the first run's batched save; the resumed runs save at once).
    await clock.advance(1000);
    if (how === 'crash') subscription.unsubscribe();
    else stop.next();
    return events;
  };

  await run(new ManualScheduler(1_000_000), 'crash');
  await run(new ManualScheduler(2_000_000), 'crash');
  const last = await run(new ManualScheduler(3_000_000), 'stop');
  const summary = last.at(-1) as SummaryEvent;
  assert.equal(summary.type, 'summary');
  // The lines still held in open windows are in `held`; every other line is counted once.
  assert.deepEqual(
    { lines: summary.lines + (summary.held ?? 0), invalid: summary.invalid },
    { lines: replay.lines, invalid: replay.invalid },
  );
});
