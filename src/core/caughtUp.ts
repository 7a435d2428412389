/**
 * A side channel for sources that follow something that grows (a tailed file), as `pausable.ts`
 * is for pausing: an Observable may carry, under `CAUGHT_UP`, an Observable that emits each
 * time its reader has read everything there was when it last looked (a tailer's step that
 * found nothing more): the scheduler time it looked, or nothing for "now". `mergeByTime` counts a quiet source idle only once its reader caught
 * up after the idle timeout had passed: a reader that was stopped (SIGSTOP, a loaded machine)
 * or has not read yet after a restart holds the others until it has read what piled up.
 */
import type { Observable } from 'rxjs';

export const CAUGHT_UP: unique symbol = Symbol.for('apachescan.caughtUp');

/** `values` with `caughtUp` as its caught-up channel. */
export function withCaughtUp<T>(values: Observable<T>, caughtUp: Observable<number | undefined>): Observable<T> {
  return Object.defineProperty(values, CAUGHT_UP, { value: caughtUp, enumerable: false });
}

/** The caught-up channel of `source`, if it has one. */
export function caughtUpOf(source: Observable<unknown>): Observable<number | undefined> | undefined {
  return (source as Partial<Record<typeof CAUGHT_UP, Observable<number | undefined>>>)[CAUGHT_UP];
}
