/**
 * Follow mode's checkpoint while catching up on a backlog: full saves are batched on the
 * scheduler's clock (at most one per 250 ms with reports), while the count of reports handed
 * over is kept current after each one; a restart from an older save makes those reports again
 * and holds them back, so that across a crash every report goes out once. For one file
 * (`followLog`) and for several (`monitorFiles`, one checkpoint for all).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray, type Subscription } from 'rxjs';
import {
  followLog,
  loadFollowCheckpoint,
  monitor,
  monitorFiles,
  readLogFile,
  type FollowCheckpoint,
  type MonitorEvent,
} from '../../../src/index.js';
import { combinedLine } from '../../helpers/cli.js';
import { ManualScheduler, eventually } from '../../helpers/manualScheduler.js';
import { tempDir } from '../../helpers/tempDir.js';

/** 20 000 lines, 10 a second of event time: 2000 s, 200 windows of 10 s, several 1 MiB reads. */
const LINES = Array.from({ length: 20_000 }, (_, i) => `${combinedLine(Math.floor(i / 10), { path: `/p${i % 7}/x` })}\n`).join('');

interface Saved {
  readonly sent: number;
  readonly reports: number;
  readonly files: Readonly<Record<string, { readonly processed: { readonly offset: number } }>>;
}

const savedIn = (path: string): Saved => JSON.parse(readFileSync(path, 'utf8')) as Saved;

function follow(
  log: string,
  checkpoint: string,
  saved: Awaited<ReturnType<typeof loadFollowCheckpoint>>,
  scheduler: ManualScheduler,
  events: MonitorEvent[],
  onRead?: (offset: number) => void,
): Subscription {
  return followLog(log, {
    scheduler,
    idleTimeout: 3_600_000,
    checkpoint: { path: checkpoint, saved },
    onRead: ({ offset }) => onRead?.(offset),
  }).subscribe((e) => events.push(e));
}

/** The backlog in a fresh folder, and the reports a replay of it makes. */
async function backlog(): Promise<{ log: string; checkpoint: string; replay: MonitorEvent[]; closedByData: number }> {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  writeFileSync(log, LINES);
  const replay = (await lastValueFrom(monitor(readLogFile(log)).pipe(toArray()))).filter((e) => e.type === 'stats' || e.type === 'alert');
  // All but the last window or two close on data alone.
  return { log, checkpoint: join(dir, 'checkpoint.json'), replay, closedByData: replay.length - 2 };
}

test('catching up: full saves wait for 250 ms of scheduler time, the count of reports sent is kept current in between; a crash repeats none', async (t) => {
  const { log, checkpoint, replay, closedByData } = await backlog();

  // The clock does not move, and the run "crashes" (stops without a word) halfway through the
  // backlog: reports went out, the state saved is still the one from before the first line.
  const first: MonitorEvent[] = [];
  let run: Subscription | undefined;
  let crashed = false;
  run = follow(log, checkpoint, undefined, new ManualScheduler(1_000_000), first, (offset) => {
    if (offset < LINES.length / 2 || crashed) return;
    crashed = true;
    run?.unsubscribe();
  });
  t.after(() => run?.unsubscribe());
  await eventually(() => crashed, 'half the backlog read');
  const left = savedIn(checkpoint);
  assert.ok(first.length > 50, `reports before the crash: ${first.length}`);
  assert.equal(left.sent, first.length, 'every report sent is counted in the checkpoint file at once');
  assert.equal(left.reports, 0, 'no full save while the clock stood still: still the state before the first line');
  assert.equal(left.files[log]?.processed.offset, 0);

  // The restart reads every line again and sends only what the first run had not.
  const saved = await loadFollowCheckpoint(checkpoint, log);
  assert.ok(saved !== undefined);
  const clock = new ManualScheduler(2_000_000);
  const second: MonitorEvent[] = [];
  const again = follow(log, checkpoint, saved, clock, second);
  t.after(() => again.unsubscribe());
  await clock.advance(0);
  await eventually(() => first.length + second.length >= closedByData, `${closedByData} reports in all`);
  assert.equal(savedIn(checkpoint).sent, first.length + second.length);
  await clock.advance(250);
  const caughtUp = savedIn(checkpoint);
  assert.equal(caughtUp.reports, first.length + second.length, 'one save 250 ms later covers every report made');
  assert.equal(caughtUp.files[log]?.processed.offset, LINES.length);
  assert.deepEqual([...first, ...second], replay.slice(0, first.length + second.length), 'every report once, in order');
});

test('several files (monitorFiles): the same batching, and a crash repeats none', async (t) => {
  const { log, checkpoint, replay, closedByData } = await backlog();
  const clock = new ManualScheduler(1_000_000);
  const follow = (saved: FollowCheckpoint | undefined, events: MonitorEvent[], crashAfter = Infinity): Subscription => {
    const run: Subscription = monitorFiles([log], {
      follow: true,
      scheduler: clock,
      idleTimeout: 3_600_000,
      checkpoint: { path: checkpoint, saved },
    }).subscribe((e) => {
      events.push(e);
      if (events.length === crashAfter) run.unsubscribe();
    });
    t.after(() => run.unsubscribe());
    return run;
  };
  // The clock stands still: after the first save (before the first report) none until it moves.
  const first: MonitorEvent[] = [];
  const crashAfter = Math.floor(closedByData / 2);
  follow(undefined, first, crashAfter);
  // Only what is due now runs (finding the file, its first read): the clock does not move.
  await eventually(async () => {
    await clock.advance(0);
    return first.length === crashAfter;
  }, `${crashAfter} reports`);
  const left = JSON.parse(readFileSync(checkpoint, 'utf8')) as FollowCheckpoint;
  assert.equal(left.sent, crashAfter, 'every report sent is counted in the checkpoint file at once');
  assert.equal(left.reports, 0, 'no full save while the clock stood still');

  const second: MonitorEvent[] = [];
  follow(left, second);
  await eventually(async () => {
    await clock.advance(0);
    return first.length + second.length >= closedByData;
  }, `${closedByData} reports in all`);
  assert.deepEqual([...first, ...second], replay.slice(0, first.length + second.length), 'every report once, in order');
});
