/**
 * Caught-up news for quiet watched files without reading them: one timer per scheduler sweeps
 * every follower registered on it, and one that has caught up and heard no change since (its
 * folder's watch open all along) is caught up as of the sweep before (`Swept.sweep`).
 *
 * Why the sweep before: a change written before that sweep has been announced by the watch
 * since (between two sweeps the event loop has read the watch's events at least once: two
 * timers never run in one turn), so a follower that heard none had nothing to read then. A
 * process stopped (SIGSTOP) between two sweeps says so for before the stop only, and the
 * changes made while it was stopped reach their followers before the sweep after.
 *
 * A merge of ten thousand followed files counts a quiet one idle only once its reader caught
 * up recently (`mergeByTime`, `caughtUp.ts`): their polls, every 25 s each, came too rarely,
 * and the merge held every line of a busy file for good.
 */
import type { SchedulerLike, Subscription } from 'rxjs';

/** A follower the sweep asks. */
export interface Swept {
  /** Called at each sweep with the time of the sweep before it. */
  sweep(asOf: number): void;
}

export class QuietSweep {
  private readonly members = new Map<Swept, number>();
  private action: Subscription | undefined;
  private every = Infinity;
  private last: number | undefined;
  private readonly run = (): void => this.fire();

  constructor(private readonly scheduler: SchedulerLike) {}

  /** Sweeps `member` every `every` ms at least (the sweep runs at the shortest period asked). */
  add(member: Swept, every: number): void {
    this.members.set(member, every);
    if (every < this.every) {
      this.every = every;
      this.arm();
    }
  }

  remove(member: Swept): void {
    if (!this.members.delete(member)) return;
    if (this.members.size > 0) return;
    this.action?.unsubscribe();
    this.action = undefined;
    this.every = Infinity;
    this.last = undefined;
  }

  private arm(): void {
    this.action?.unsubscribe();
    this.action = this.scheduler.schedule(this.run, this.every);
  }

  /**
   * Whether the sweeps run on time as of `now` (the last one less than one and a half periods
   * ago): the process was not stopped or starved since, so the watch's events of before the
   * last sweep have been read. After a stall, quiet followers must look (a `stat`) before they
   * say they have nothing to read: what the watch saw meanwhile may not be read yet.
   */
  onTime(now: number): boolean {
    return this.last !== undefined && now - this.last <= this.every * 1.5;
  }

  private fire(): void {
    const asOf = this.last;
    this.last = this.scheduler.now();
    let every = Infinity;
    for (const asked of this.members.values()) every = Math.min(every, asked);
    this.every = every;
    this.arm();
    if (asOf !== undefined) for (const member of [...this.members.keys()]) member.sweep(asOf);
  }
}

const sweeps = new WeakMap<SchedulerLike, QuietSweep>();

/** The sweep of `scheduler` (one per scheduler). */
export function quietSweepOf(scheduler: SchedulerLike): QuietSweep {
  let sweep = sweeps.get(scheduler);
  if (sweep === undefined) sweeps.set(scheduler, (sweep = new QuietSweep(scheduler)));
  return sweep;
}
