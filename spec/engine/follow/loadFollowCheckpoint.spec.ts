/**
 * One public load-and-check for checkpoints of one file and of several (issue 18, item 20):
 * a checkpoint `monitorFiles` saved for several files loads with those files; a value kept
 * elsewhere and handed back raw is checked by `monitorFiles` itself, as `followLog` checks one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject, VirtualAction, VirtualTimeScheduler, lastValueFrom, toArray } from 'rxjs';
import { CheckpointError, loadFollowCheckpoint, monitorFiles } from '../../../src/index.js';
import { combinedLine } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tempDir.js';

const OPTIONS = { interval: 10_000, lateness: 0 } as const;

/** Two files followed to their ends with a checkpoint, then stopped: the checkpoint's path and the files. */
async function savedOfTwo(): Promise<{ checkpoint: string; files: string[] }> {
  const dir = tempDir();
  const files = ['a.log', 'b.log'].map((name, k) => {
    const path = join(dir, name);
    writeFileSync(path, Array.from({ length: 30 }, (_, i) => `${combinedLine(i * 2 + k)}\n`).join(''));
    return path;
  });
  const checkpoint = join(dir, 'checkpoint.json');
  const sizes = new Map(files.map((f) => [f, statSync(f).size]));
  const read = new Map<string, number>();
  const stop = new Subject<void>();
  const scheduler = new VirtualTimeScheduler(VirtualAction, 60_000);
  const events = await lastValueFrom(
    monitorFiles(files, {
      ...OPTIONS,
      follow: true,
      scheduler,
      checkpoint: { path: checkpoint },
      stop,
      onRead: ({ offset }, path) => {
        read.set(path, offset);
        if (files.every((f) => (read.get(f) ?? 0) >= (sizes.get(f) ?? 0))) stop.next();
      },
    }).pipe(toArray()),
  );
  assert.equal(events.at(-1)?.type, 'summary');
  return { checkpoint, files };
}

test('a checkpoint of several files loads with those files, and is refused for others or with other settings', async () => {
  const { checkpoint, files } = await savedOfTwo();
  const saved = await loadFollowCheckpoint(checkpoint, files, OPTIONS);
  assert.ok(saved !== undefined);
  assert.deepEqual(Object.keys(saved.files).sort(), [...files].sort());
  await assert.rejects(loadFollowCheckpoint(checkpoint, files, { ...OPTIONS, interval: 5000 }), CheckpointError);
  await assert.rejects(loadFollowCheckpoint(checkpoint, [files[0] as string], OPTIONS), CheckpointError);
});

test('monitorFiles checks a checkpoint handed back raw: other settings or other files are refused synchronously, a good one resumes', async () => {
  const { checkpoint, files } = await savedOfTwo();
  const raw: unknown = JSON.parse(readFileSync(checkpoint, 'utf8'));
  const resume = (options: object, paths = files) =>
    monitorFiles(paths, { follow: true, checkpoint: { path: checkpoint, saved: raw as never }, ...options });
  assert.throws(() => resume({ ...OPTIONS, interval: 5000 }), CheckpointError);
  assert.throws(() => resume(OPTIONS, [files[1] as string]), CheckpointError);
  assert.doesNotThrow(() => resume(OPTIONS));
});
