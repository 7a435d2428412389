/**
 * One source of line chunks per log file, as `monitorFiles` merges them: a file read once
 * (plain or gzip), or followed; with its history, its rotated siblings first, oldest first.
 */
import { Observable, concat, defer, from, map, switchMap } from 'rxjs';
import { readAnyLogFile } from './readAnyLogFile.js';
import { streamedLogFile } from './streamedLogFile.js';
import { pauseOf, withPause } from '../core/pausable.js';
import type { LineChunk } from './lineChunk.js';
import { isGzipFile } from './gzipFile.js';
import { rotatedHistory } from './rotatedHistory.js';
import { tailBytes, type TailFileOptions } from './tailFile.js';
import type { FilePosition } from './fileIdentity.js';
import { followStarts, followedOpenFiles } from './openFiles.js';

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

/**
 * The lines of `path` as it grows (rotation-safe); with `history`, its rotated siblings first.
 * A compressed file never grows: it is read once and completes.
 */
export function followSource(
  path: string,
  history: boolean,
  options: TailFileOptions = {},
  onRead?: (position: FilePosition) => void,
): Observable<LineChunk> {
  // As a follower's first step is (openFiles.ts): ten thousand files checked at once would open them all at once.
  const check = (): Promise<boolean> => followStarts().within(() => followedOpenFiles().within(() => isGzipFile(path)));
  const live = defer(() => from(check())).pipe(switchMap((gzip) => (gzip ? readAnyLogFile(path) : tailedChunks(path, options, onRead))));
  return history ? concat(historySource(path), live) : live;
}

/** The tailer's chunks of `path`; `onRead` after each went downstream. */
function tailedChunks(
  path: string,
  options: TailFileOptions,
  onRead: ((position: FilePosition) => void) | undefined,
): Observable<LineChunk> {
  if (onRead === undefined) return tailBytes(path, options).pipe(map((chunk) => chunk.view));
  return new Observable<LineChunk>((subscriber) =>
    tailBytes(path, options).subscribe({
      next: (chunk) => {
        subscriber.next(chunk.view);
        onRead(chunk.position);
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    }),
  );
}

/** The lines of the rotated siblings of `path`, oldest first, each read to its end. */
export function historySource(path: string): Observable<LineChunk> {
  return defer(() => from(rotatedHistory(path))).pipe(
    switchMap((siblings) => concat(...siblings.map((sibling) => readAnyLogFile(sibling)))),
  );
}
