/**
 * When a follower steps: on a signal, at once if no step started in the last `interval` ms,
 * else once that long after the last step started (signals meanwhile coalesce into it, and a
 * signal during a step asks for one more). Steps never overlap, so a server writing one line
 * per write() costs at most one step (a stat, a read, a chunk) every `interval` ms, not one
 * per write; an isolated write is read at once. Time comes from the injected scheduler.
 *
 * ```
 * signals:  s-s-s-------s-s--     (interval 5, a step takes 1)
 * steps:    [s]--[s]----[s]--[s]  (at most one start per 5)
 * ```
 */
import type { SchedulerLike, Subscription } from 'rxjs';

export interface StepPacer {
  /** Something may have changed: step now, or at the next allowed time. */
  readonly signal: () => void;
  /** A step is under way. */
  readonly running: () => boolean;
  /** A step is under way or waiting for its time. */
  readonly busy: () => boolean;
  /** No more steps (a step under way completes). */
  readonly stop: () => void;
}

/**
 * @param step One step; its promise settles when it is done (a rejection goes to `onError`).
 * @param interval Least ms between two step starts (0: step on every signal, one at a time).
 * @param scheduler Reads the time and delays a step.
 * @param onDone Called after each step (stopped or not), e.g. to release what it held;
 *   `pending` when a signal came during the step (another step follows).
 */
export function stepPacer(
  step: () => Promise<void>,
  interval: number,
  scheduler: SchedulerLike,
  onError: (err: unknown) => void,
  onDone: (stopped: boolean, pending: boolean) => void = () => undefined,
): StepPacer {
  let running = false;
  let again = false;
  let stopped = false;
  let waiting: Subscription | undefined;
  let lastStart = -Infinity;

  const run = (): void => {
    waiting = undefined;
    if (stopped) return;
    running = true;
    lastStart = scheduler.now();
    step()
      .catch(onError)
      .finally(() => {
        running = false;
        onDone(stopped, again);
        if (stopped || !again) return;
        again = false;
        signal();
      });
  };
  const signal = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (waiting !== undefined) return;
    const wait = lastStart + interval - scheduler.now();
    if (wait > 0) waiting = scheduler.schedule(run, wait);
    else run();
  };
  return {
    signal,
    running: () => running,
    busy: () => running || waiting !== undefined,
    stop: () => {
      stopped = true;
      waiting?.unsubscribe();
      waiting = undefined;
    },
  };
}
