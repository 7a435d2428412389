/**
 * One line source per log file, as `monitorFiles` merges them: a file read once (plain or
 * gzip), or followed; with its history, its rotated siblings first, oldest first.
 */
import { concat, defer, from, map, switchMap, type Observable } from 'rxjs';
import { readAnyLogFile } from './readAnyLogFile.js';
import { streamedLogFile } from './streamedLogFile.js';
import { pauseOf, withPause } from '../core/pausable.js';
import { batchesOf, withBatches } from '../core/batches.js';
import type { LineChunk } from './lineChunk.js';
import { isGzipFile } from './gzipFile.js';
import { rotatedHistory } from './rotatedHistory.js';
import { tailBytes, type TailFileOptions } from './tailFile.js';
import { lineSource } from './chunkLines.js';

/**
 * The lines of `path`, read once to its end; with `history`, its rotated siblings first.
 * Pausable (src/core/pausable.ts), so that a merge can hold back a file that runs ahead.
 */
export function replaySource(path: string, history: boolean): Observable<string> {
  const live = streamedLogFile(path);
  if (!history) return live;
  const parts: Observable<string>[] = [live];
  // Both views: the lines, and the line chunks (each part's batch view), of the same parts.
  const view = <T>(of: (part: Observable<string>) => Observable<T>): Observable<T> =>
    defer(() => from(rotatedHistory(path))).pipe(
      switchMap((siblings) => {
        const before = siblings.map((sibling) => streamedLogFile(sibling));
        parts.push(...before);
        if (paused) for (const part of before) pauseOf(part)?.pause();
        return concat(...[...before, live].map(of));
      }),
    );
  const lines = withBatches(
    view((part) => part),
    view((part) => batchesOf<LineChunk>(part) as Observable<LineChunk>),
  );
  let paused = false;
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
export function followSource(path: string, history: boolean, options: TailFileOptions = {}): Observable<string> {
  return bothViews((view) => {
    const live = defer(() => from(isGzipFile(path))).pipe(switchMap((gzip) => view(gzip ? readAnyLogFile(path) : tailedLines(path, options))));
    return history ? concat(historyView(path, view), live) : live;
  });
}

/** The lines of the rotated siblings of `path`, oldest first, each read to its end. */
export function historySource(path: string): Observable<string> {
  return bothViews((view) => historyView(path, view));
}

function historyView<T>(path: string, view: (part: Observable<string>) => Observable<T>): Observable<T> {
  return defer(() => from(rotatedHistory(path))).pipe(switchMap((siblings) => concat(...siblings.map((sibling) => view(readAnyLogFile(sibling))))));
}

/** A followed file's lines, with the tailer's byte-range chunks as the batch view. */
function tailedLines(path: string, options: TailFileOptions): Observable<string> {
  return lineSource(tailBytes(path, options).pipe(map((chunk) => chunk.view)));
}

/**
 * Lines built from parts that each have line chunks as their batch view (src/core/batches.ts),
 * offering both: `build` is run once with each view of the parts.
 */
function bothViews(build: <T>(view: (part: Observable<string>) => Observable<T>) => Observable<T>): Observable<string> {
  return withBatches(
    build((part) => part),
    build((part) => batchesOf<LineChunk>(part) as Observable<LineChunk>),
  );
}
