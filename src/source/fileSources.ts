/**
 * One line source per log file, as `monitorFiles` merges them: a file read once (plain or
 * gzip), or followed; with its history, its rotated siblings first, oldest first.
 */
import { concat, defer, from, switchMap, type Observable } from 'rxjs';
import { readAnyLogFile } from './readAnyLogFile.js';
import { isGzipFile } from './gzipFile.js';
import { rotatedHistory } from './rotatedHistory.js';
import { tailLines, type TailFileOptions } from './tailFile.js';

/** The lines of `path`, read once to its end; with `history`, its rotated siblings first. */
export function replaySource(path: string, history: boolean): Observable<string> {
  if (!history) return readAnyLogFile(path);
  return withHistory(path, readAnyLogFile(path));
}

/**
 * The lines of `path` as it grows (rotation-safe); with `history`, its rotated siblings first.
 * A compressed file never grows: it is read once and completes.
 */
export function followSource(path: string, history: boolean, options: TailFileOptions = {}): Observable<string> {
  const live = defer(() => from(isGzipFile(path))).pipe(switchMap((gzip) => (gzip ? readAnyLogFile(path) : tailLines(path, options))));
  return history ? withHistory(path, live) : live;
}

function withHistory(path: string, live: Observable<string>): Observable<string> {
  return concat(historySource(path), live);
}

/** The lines of the rotated siblings of `path`, oldest first, each read to its end. */
export function historySource(path: string): Observable<string> {
  return defer(() => from(rotatedHistory(path))).pipe(switchMap((siblings) => concat(...siblings.map((sibling) => readAnyLogFile(sibling)))));
}
