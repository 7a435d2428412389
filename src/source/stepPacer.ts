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

/** What a pacer runs: the step, and what follows each one. */
export interface PacedSteps {
  /** One step; its promise settles when it is done (a rejection goes to `stepFailed`). */
  step(): Promise<void>;
  stepFailed(err: unknown): void;
  /**
   * Called after each step (stopped or not), e.g. to release what it held; `pending` when a
   * signal came during the step (another step follows).
   */
  stepDone(stopped: boolean, pending: boolean): void;
}

/**
 * The pacer of one follower: plain fields and methods, no closure per follower (a process
 * following ten thousand files holds ten thousand).
 */
export class StepPacer {
  private isRunning = false;
  private again = false;
  private stopped = false;
  private waiting: Subscription | undefined;
  private lastStart = -Infinity;
  /** The step for the scheduler, made the first time one waits for its time. */
  private later: (() => void) | undefined;

  /**
   * @param steps The step and its callbacks.
   * @param interval Least ms between two step starts (0: step on every signal, one at a time).
   * @param scheduler Reads the time and delays a step.
   */
  constructor(
    private readonly steps: PacedSteps,
    private readonly interval: number,
    private readonly scheduler: SchedulerLike,
  ) {}

  /** Something may have changed: step now, or at the next allowed time. */
  signal(): void {
    if (this.stopped) return;
    if (this.isRunning) {
      this.again = true;
      return;
    }
    if (this.waiting !== undefined) return;
    const wait = this.lastStart + this.interval - this.scheduler.now();
    if (wait > 0) this.waiting = this.scheduler.schedule((this.later ??= () => this.run()), wait);
    else this.run();
  }

  /** A step is under way. */
  running(): boolean {
    return this.isRunning;
  }

  /** A step is under way or waiting for its time. */
  busy(): boolean {
    return this.isRunning || this.waiting !== undefined;
  }

  /** No more steps (a step under way completes). */
  stop(): void {
    this.stopped = true;
    this.waiting?.unsubscribe();
    this.waiting = undefined;
  }

  private run(): void {
    this.waiting = undefined;
    if (this.stopped) return;
    this.isRunning = true;
    this.lastStart = this.scheduler.now();
    this.steps
      .step()
      .catch((err: unknown) => this.steps.stepFailed(err))
      .finally(() => this.ended());
  }

  private ended(): void {
    this.isRunning = false;
    this.steps.stepDone(this.stopped, this.again);
    if (this.stopped || !this.again) return;
    this.again = false;
    this.signal();
  }
}

/**
 * A `StepPacer` over functions.
 *
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
  return new StepPacer({ step, stepFailed: onError, stepDone: onDone }, interval, scheduler);
}
