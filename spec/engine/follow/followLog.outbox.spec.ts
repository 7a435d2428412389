/**
 * The outputs' outbox in the follow checkpoint (issue 20: an InfluxDB point lost across a
 * kill -9): what the outbox holds at a save is saved with it and handed back on resume, and a
 * report made again after a crash and held back from the subscriber (it went out after the
 * last save) goes to `repeated`. Deterministic: a manual clock, the crash simulated by a
 * checkpoint whose count of reports sent is ahead of its state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject, type Subscription } from 'rxjs';
import { followLog, loadFollowCheckpoint, type CheckpointOutbox, type MonitorEvent } from '../../../src/index.js';
import { combinedLine } from '../../helpers/cli.js';
import { ManualScheduler, eventually } from '../../helpers/manualScheduler.js';
import { tempDir } from '../../helpers/tempDir.js';

const OPTIONS = { lateness: 5000, idleTimeout: 3_600_000 } as const;
const tenPerSecond = (from: number, to: number): string =>
  Array.from({ length: (to - from) * 10 }, (_, i) => `${combinedLine(from + Math.floor(i / 10))}\n`).join('');

test('outbox: saved with the checkpoint, handed back on resume; a report held back after a crash goes to repeated', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const checkpoint = join(dir, 'checkpoint.json');
  writeFileSync(log, tenPerSecond(0, 27)); // [0,10) and [10,20) close; [20,30) stays open

  const run = async (clock: ManualScheduler, outbox: CheckpointOutbox): Promise<MonitorEvent[]> => {
    const saved = await loadFollowCheckpoint(checkpoint, log, OPTIONS);
    const size = statSync(log).size;
    const events: MonitorEvent[] = [];
    const stop = new Subject<void>();
    let readAll = false;
    const subscription: Subscription = followLog(log, {
      ...OPTIONS,
      scheduler: clock,
      checkpoint: { path: checkpoint, saved },
      stop,
      outbox,
      onRead: ({ offset }) => void (offset >= size && (readAll = true)),
    }).subscribe((e) => events.push(e));
    t.after(() => subscription.unsubscribe());
    await eventually(async () => {
      await clock.advance(0);
      return readAll;
    }, 'the whole file read');
    await clock.advance(1000);
    stop.next();
    return events;
  };

  const resumed: unknown[] = [];
  const repeated: MonitorEvent[] = [];
  const first = await run(new ManualScheduler(1_000_000), {
    units: () => ({ influx: ['point 1', 'point 2'] }),
    resume: (u) => void resumed.push(u),
    repeated: (e) => void repeated.push(e),
  });
  assert.equal(first.filter((e) => e.type === 'stats').length, 2);
  const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { version: number; reports: number; sent: number; outbox: unknown };
  assert.deepEqual([saved.version, saved.reports, saved.sent, saved.outbox], [3, 2, 2, { influx: ['point 1', 'point 2'] }]);

  // As if a run had reported [20,30) (its count of reports sent moved on in place) and died before its next save.
  writeFileSync(checkpoint, JSON.stringify({ ...saved, sent: 3 }));
  appendFileSync(log, tenPerSecond(27, 36));
  const second = await run(new ManualScheduler(2_000_000), {
    units: () => ({}),
    resume: (u) => void resumed.push(u),
    repeated: (e) => void repeated.push(e),
  });
  assert.deepEqual(resumed, [{ influx: ['point 1', 'point 2'] }], 'handed back once, before any event');
  assert.deepEqual(
    second.filter((e) => e.type === 'stats'),
    [],
    'held back from the subscriber',
  );
  assert.deepEqual(
    repeated.map((e) => [e.type, e.type === 'stats' ? [e.start, e.hits] : undefined]),
    [['stats', [Date.UTC(2026, 0, 1, 0, 0, 20), 100]]],
  );
  assert.equal((JSON.parse(readFileSync(checkpoint, 'utf8')) as { outbox?: unknown }).outbox, undefined, 'nothing pending: no outbox');
});
