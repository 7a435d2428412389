import type { SchedulerLike, Subscription } from 'rxjs';

export interface Throttle {
  /** Runs the work now if the last run was at least `period` ago, else once at the end of it. */
  request(): void;
  /** Drops a pending run. */
  cancel(): void;
}

/**
 * Leading and trailing throttle on an RxJS scheduler: `work` runs at most once per `period`
 * ms, and a request during the quiet period is never lost (one run follows at its end).
 * Time comes only from `scheduler.now()`, timers only from `scheduler.schedule()`.
 */
export function createThrottle(scheduler: SchedulerLike, period: number, work: () => void): Throttle {
  let last = -Infinity;
  let pending: Subscription | undefined;
  const run = (): void => {
    pending = undefined;
    last = scheduler.now();
    work();
  };
  return {
    request() {
      if (pending !== undefined) return;
      const wait = last + period - scheduler.now();
      if (wait <= 0) run();
      else pending = scheduler.schedule(run, wait);
    },
    cancel() {
      pending?.unsubscribe();
      pending = undefined;
    },
  };
}
