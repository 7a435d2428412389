import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/**
 * Virtual processing time for sinks that also do real I/O (processes, HTTP): `advance(ms)`
 * runs due tasks in time order and lets promises settle between them.
 */
export class ManualScheduler implements SchedulerLike {
  private clock: number;
  private seq = 0;
  private readonly tasks: { at: number; seq: number; run: () => void }[] = [];

  constructor(start = 0) {
    this.clock = start;
  }

  now(): number {
    return this.clock;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const sub = new Subscription();
    const action = Object.assign(sub, { schedule: (s?: T, d = 0) => this.schedule(work, d, s) }) as SchedulerAction<T>;
    const task = { at: this.clock + delay, seq: this.seq++, run: () => work.call(action, state) };
    this.tasks.push(task);
    sub.add(() => this.remove(task));
    return sub;
  }

  /** Timers still armed. */
  get pending(): number {
    return this.tasks.length;
  }

  async advance(ms: number): Promise<void> {
    const end = this.clock + ms;
    await settle();
    for (;;) {
      const next = [...this.tasks].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined || next.at > end) break;
      this.remove(next);
      this.clock = Math.max(this.clock, next.at); // late timers (resumeAfterStop) run at the jumped clock
      next.run();
      await settle();
    }
    this.clock = end;
  }

  /**
   * The process was stopped for `ms` (SIGSTOP, then SIGCONT): the clock jumps at once, then
   * every timer that fell due meanwhile runs, late, in order.
   */
  async resumeAfterStop(ms: number): Promise<void> {
    this.clock += ms;
    await this.advance(0);
  }

  private remove(task: { at: number; seq: number; run: () => void }): void {
    const i = this.tasks.indexOf(task);
    if (i >= 0) this.tasks.splice(i, 1);
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** Polls `check` (real time, bounded) until it returns true; fails with `what` otherwise. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
