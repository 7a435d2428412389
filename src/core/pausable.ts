/**
 * A side channel for sources that can wait (a file being read), the way record batches are
 * batches: an Observable may carry, under `PAUSE`, a way to pause and resume what feeds it.
 * `mergeByTime` pauses a source whose lines pile up while it waits for the others, so a
 * replay of files far apart in time holds a bounded number of lines, not a whole file.
 */
import type { Observable } from 'rxjs';

export const PAUSE: unique symbol = Symbol.for('apachescan.pause');

export interface PauseControl {
  pause(): void;
  resume(): void;
}

/** `values` with `control` as its pause channel. */
export function withPause<T>(values: Observable<T>, control: PauseControl): Observable<T> {
  return Object.defineProperty(values, PAUSE, { value: control, enumerable: false });
}

/** The pause channel of `source`, if it has one. */
export function pauseOf(source: Observable<unknown>): PauseControl | undefined {
  return (source as Partial<Record<typeof PAUSE, PauseControl>>)[PAUSE];
}
