/**
 * One source of line chunks per log file, as `monitorFiles` merges them: a file read once
 * (plain or gzip) with its history, its rotated siblings first, oldest first; and the history
 * a followed file reads first (`src/engine/follow/followedFile.ts` follows it).
 */
import { type Observable, concat, defer, from, switchMap } from 'rxjs';
import { readAnyLogFile } from './readAnyLogFile.js';
import { streamedLogFile } from './streamedLogFile.js';
import { pauseOf, withPause } from '../core/pausable.js';
import type { LineChunk } from './lineChunk.js';
import { rotatedHistory } from './rotatedHistory.js';

/**
 * The lines of `path`, read once to its end; with `history`, its rotated siblings first.
 * Pausable (src/core/pausable.ts), so that a merge can hold back a file that runs ahead.
 */
export function replaySource(path: string, history: boolean): Observable<LineChunk> {
  const live = streamedLogFile(path);
  if (!history) return live;
  const parts: Observable<LineChunk>[] = [live];
  let paused = false;
  const lines = defer(() => from(rotatedHistory(path))).pipe(
    switchMap((siblings) => {
      const before = siblings.map((sibling) => streamedLogFile(sibling));
      parts.push(...before);
      if (paused) for (const part of before) pauseOf(part)?.pause();
      return concat(...before, live);
    }),
  );
  return withPause(lines, {
    pause: () => {
      paused = true;
      for (const part of parts) pauseOf(part)?.pause();
    },
    resume: () => {
      paused = false;
      for (const part of parts) pauseOf(part)?.resume();
    },
  });
}

/** The lines of the rotated siblings of `path`, oldest first, each read to its end. */
export function historySource(path: string): Observable<LineChunk> {
  return defer(() => from(rotatedHistory(path))).pipe(
    switchMap((siblings) => concat(...siblings.map((sibling) => readAnyLogFile(sibling)))),
  );
}
