import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject, VirtualAction, VirtualTimeScheduler, lastValueFrom, toArray } from 'rxjs';
import { followLog } from '../../../src/index.js';
import { combinedLine } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tempDir.js';

test('followLog stopped from onRead with a checkpoint: completes, and writes no checkpoint afterwards', async () => {
  const dir = tempDir();
  const log = join(dir, 'access.log');
  const checkpoint = join(dir, 'checkpoint.json');
  writeFileSync(log, Array.from({ length: 25 }, (_, i) => `${combinedLine(i)}\n`).join(''));
  const size = statSync(log).size;
  const scheduler = new VirtualTimeScheduler(VirtualAction, 60_000);
  const stop = new Subject<void>();
  const events = await lastValueFrom(
    followLog(log, {
      scheduler,
      lateness: 0,
      checkpoint: { path: checkpoint },
      stop,
      onRead: ({ offset }) => offset >= size && stop.next(),
    }).pipe(toArray()),
  );
  assert.deepEqual(events.at(-1), { type: 'summary', lines: 20, parsed: 20, invalid: 0, late: 0, held: 5 });
  assert.ok(existsSync(checkpoint), 'the stop saved the checkpoint');
  // Whatever was still scheduled must have been cancelled: a late save would overwrite the
  // checkpoint of the run that resumes from it.
  rmSync(checkpoint);
  scheduler.flush();
  assert.ok(!existsSync(checkpoint), 'a checkpoint was written after the follower completed');
});
