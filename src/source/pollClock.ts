/**
 * One timer for the polls of every follower on a scheduler: each follower is due at its own
 * time (its poll interval after its last poll, asked again at each poll), and the clock keeps
 * one scheduled action, at the earliest time due (a heap by due time). Ten thousand followed
 * files hold one timer between them, not ten thousand, and a poll costs a heap step.
 *
 * ```
 * a (every 2):  --a---a---a     one action, armed for the earliest due:
 * b (every 3):  ---b----b---    --a-b-a--b-a-
 * ```
 */
import type { SchedulerLike, Subscription } from 'rxjs';
import { MinHeap } from '../core/minHeap.js';

/** A follower's poll: what runs when it is due, and how long after it the next one is. */
export interface Polled {
  poll(): void;
  /** Ms until the next poll, asked after each one. */
  pollInterval(): number;
}

/** A follower's place on the clock (`PollClock.remove` takes it off). */
export interface PollEntry {
  readonly target: Polled;
  due: number;
  seq: number;
  live: boolean;
}

export class PollClock {
  private readonly heap = new MinHeap<PollEntry>((a, b) => a.due < b.due || (a.due === b.due && a.seq < b.seq));
  private action: Subscription | undefined;
  private actionDue = Infinity;
  private seq = 0;
  private live = 0;
  private readonly fireNow = (): void => this.fire();

  constructor(private readonly scheduler: SchedulerLike) {}

  /** Polls `target` every `target.pollInterval()` ms, the first time `delay` ms from now. */
  add(target: Polled, delay: number): PollEntry {
    const entry: PollEntry = { target, due: this.scheduler.now() + delay, seq: this.seq++, live: true };
    this.live++;
    this.heap.push(entry);
    this.arm();
    return entry;
  }

  /** No more polls for this entry (left in the heap until due; the timer goes when none is left). */
  remove(entry: PollEntry): void {
    if (!entry.live) return;
    entry.live = false;
    if (--this.live > 0) return;
    this.action?.unsubscribe();
    this.action = undefined;
    this.actionDue = Infinity;
    while (this.heap.size > 0) this.heap.pop();
  }

  /** Runs the polls due, then arms the timer for the next. */
  private fire(): void {
    this.action = undefined;
    this.actionDue = Infinity;
    const now = this.scheduler.now();
    for (let top = this.heap.peek(); top !== undefined && top.due <= now; top = this.heap.peek()) {
      this.heap.pop();
      if (!top.live) continue;
      top.target.poll();
      if (!top.live) continue;
      top.due = this.scheduler.now() + top.target.pollInterval();
      top.seq = this.seq++;
      this.heap.push(top);
    }
    this.arm();
  }

  private arm(): void {
    const top = this.heap.peek();
    if (top === undefined || (this.action !== undefined && top.due >= this.actionDue)) return;
    this.action?.unsubscribe();
    this.actionDue = top.due;
    this.action = this.scheduler.schedule(this.fireNow, Math.max(0, top.due - this.scheduler.now()));
  }
}

const clocks = new WeakMap<SchedulerLike, PollClock>();

/** The poll clock of `scheduler` (one per scheduler: specs run followers on clocks of their own). */
export function pollClockOf(scheduler: SchedulerLike): PollClock {
  let clock = clocks.get(scheduler);
  if (clock === undefined) clocks.set(scheduler, (clock = new PollClock(scheduler)));
  return clock;
}
