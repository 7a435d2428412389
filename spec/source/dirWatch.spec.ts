/**
 * One fs.watch per directory (src/source/dirWatch.ts): a thousand followers of files in one
 * folder hold one watcher between them (each used to open its own: a watcher handle each, and
 * every write to any file woke every follower), and a change reaches the followers of that
 * file and of the names it starts (its rotated siblings' events reach it), not the others.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncScheduler, type Subscription } from 'rxjs';
import { changeSignals } from '../../src/source/changeSignals.js';
import { watchedDirs } from '../../src/source/dirWatch.js';
import { removeTempDirs, tempDir } from '../helpers/tempDir.js';
import { sleep } from '../helpers/sleep.js';

after(() => removeTempDirs());

/** fs.watch handles open in the process. */
const fsWatchers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;

describe('directory watchers', () => {
  it('a thousand followed files in one folder: one watcher; a write signals its own follower', async () => {
    const dir = tempDir();
    const before = fsWatchers();
    const signals = new Map<string, number>();
    const subscriptions: Subscription[] = [];
    for (let i = 0; i < 1000; i++) writeFileSync(join(dir, `f${i}.log`), '');
    for (let i = 0; i < 1000; i++) {
      const name = `f${i}.log`;
      signals.set(name, 0);
      subscriptions.push(
        changeSignals(join(dir, name), {
          pollInterval: 3_600_000,
          watch: true,
          scheduler: asyncScheduler,
          onWarning: () => undefined,
        }).subscribe(() => signals.set(name, (signals.get(name) ?? 0) + 1)),
      );
    }
    after(() => {
      for (const s of subscriptions) s.unsubscribe();
    });
    assert.equal(fsWatchers() - before, 1, 'one fs.watch for the folder');
    assert.equal(watchedDirs(), 1);
    appendFileSync(join(dir, 'f7.log'), 'x\n');
    // `f7.log.1`: a rotated sibling of f7.log (its follower looks), not of f70.log... whose names do not start it.
    writeFileSync(join(dir, 'f7.log.1'), 'y\n');
    for (let i = 0; i < 200 && (signals.get('f7.log') ?? 0) < 2; i++) await sleep(10);
    assert.ok((signals.get('f7.log') ?? 0) >= 2);
    const others = [...signals].filter(([name, n]) => name !== 'f7.log' && n > 0).map(([name]) => name);
    assert.deepEqual(others, []);
    for (const s of subscriptions) s.unsubscribe();
    assert.equal(watchedDirs(), 0);
    // A handle's close completes on a later turn of the event loop.
    for (let i = 0; i < 200 && fsWatchers() > before; i++) await sleep(10);
    assert.equal(fsWatchers() - before, 0, 'closed with its last follower');
  });
});
