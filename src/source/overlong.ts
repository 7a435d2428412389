/**
 * How overlong lines travel in the plain `string` APIs (`readLines`, `tailLines`).
 *
 * Batch APIs flag an overlong line by index (`LineBatch.overlong`) and carry its cut head.
 * Per-line string APIs have no room for a flag, so there an overlong line becomes the fixed
 * marker `OVERLONG_LINE`: it starts with NUL and holds no `[` or `"`, so it fails any
 * access-log format and is counted invalid; `isOverlongLine` tells it apart.
 */
import { Observable } from 'rxjs';
import type { LineBatch } from './lineSplitter.js';

/** What a line longer than `maxLineBytes` arrives as (it parses as invalid, reason `overlong`). */
export const OVERLONG_LINE = '\u0000overlong line (cut at maxLineBytes)';

/** Whether `line` stands for an overlong line. */
export function isOverlongLine(line: string): boolean {
  return line === OVERLONG_LINE;
}

/** The batch's lines, each overlong one replaced by `OVERLONG_LINE`. */
export function linesWithMarkers(batch: Pick<LineBatch, 'lines' | 'overlong'>): string[] {
  if (batch.overlong.length === 0) return batch.lines;
  const lines = batch.lines.slice();
  for (const i of batch.overlong) lines[i] = OVERLONG_LINE;
  return lines;
}

/** Batches of lines to one value per line (overlong ones as `OVERLONG_LINE`), stopping early on unsubscribe. */
export function eachLine<B extends Pick<LineBatch, 'lines' | 'overlong'>>(batches: Observable<B>): Observable<string> {
  return new Observable<string>((subscriber) =>
    batches.subscribe({
      next: (batch) => {
        for (const line of linesWithMarkers(batch)) {
          subscriber.next(line);
          if (subscriber.closed) return;
        }
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    }),
  );
}
