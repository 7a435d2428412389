/**
 * The soak's fault scheduler: every 15–35 s (seeded) one fault among those chosen, carried out on
 * the running follower, the writer's files and the checkpoint's disk; the faults come in seeded
 * rounds where each chosen one lands once, so a short soak sees every kind. Each fault ends with
 * a follower running again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Random } from './prng.js';
import type { SmallDisk } from './soakDisk.js';
import type { RunRecorder } from './soakRuns.js';
import type { Rotator } from './soakRotate.js';
import type { SoakWriter } from './soakWriter.js';

export const FAULTS = ['rotate', 'copytruncate', 'kill', 'stop', 'term', 'disk'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultContext {
  readonly runs: RunRecorder;
  readonly writer: SoakWriter;
  readonly rotator: Rotator;
  readonly disk: SmallDisk | undefined;
  /** One line of the soak's progress log. */
  readonly log: (line: string) => void;
}

export class FaultScheduler {
  /** Faults carried out, by name (`kill+rotate` for a kill with a rotation while down). */
  readonly done = new Map<string, number>();
  private readonly random: Random;
  /** The faults left in this round. */
  private bag: Fault[] = [];

  constructor(
    private readonly faults: readonly Fault[],
    seed: number,
    private readonly ctx: FaultContext,
  ) {
    this.random = new Random(seed, 7);
  }

  /** Carries out faults until `until` (a performance.now() time). */
  async run(until: number): Promise<void> {
    for (;;) {
      const wait = this.random.int(15, 35) * 1000;
      if (performance.now() + wait >= until) break;
      await sleep(wait);
      if (this.faults.length === 0) continue;
      if (this.bag.length === 0) this.bag = this.shuffled();
      await this.one(this.bag.pop()!);
    }
    await sleep(Math.max(0, until - performance.now()));
  }

  private shuffled(): Fault[] {
    const faults = this.faults.filter((f) => f !== 'disk' || this.ctx.disk !== undefined);
    for (let i = faults.length - 1; i > 0; i--) {
      const j = this.random.below(i + 1);
      [faults[i], faults[j]] = [faults[j]!, faults[i]!];
    }
    return faults;
  }

  private count(name: string): void {
    this.done.set(name, (this.done.get(name) ?? 0) + 1);
    this.ctx.log(`fault ${name}`);
  }

  private async rotate(mode: 'create' | 'copytruncate'): Promise<void> {
    const err = await this.ctx.rotator.rotate(mode);
    if (err !== '') this.ctx.log(err);
    if (mode === 'create') this.ctx.writer.reopen();
  }

  /** Stops the follower with `signal` and waits for its end (SIGKILL after 60 s). */
  private async stop(signal: NodeJS.Signals): Promise<void> {
    const { runs } = this.ctx;
    runs.signal(signal);
    if (!(await runs.waitExit(60_000))) {
      this.ctx.log(`run ${runs.running?.index} did not end within 60 s of ${signal}: SIGKILL`);
      runs.signal('SIGKILL');
      await runs.waitExit(10_000);
    }
  }

  private async one(fault: Fault): Promise<void> {
    const { runs } = this.ctx;
    if (runs.running === undefined) runs.start('after an unexpected end');
    switch (fault) {
      case 'rotate':
      case 'copytruncate':
        this.count(fault);
        await this.rotate(fault === 'rotate' ? 'create' : 'copytruncate');
        return;
      case 'kill': {
        const rotate = this.faults.includes('rotate') && this.random.chance(0.4);
        this.count(rotate ? 'kill+rotate' : 'kill');
        await this.stop('SIGKILL');
        await sleep(this.random.int(500, 3000));
        if (rotate) {
          await this.rotate('create');
          await sleep(this.random.int(500, 3000));
        }
        runs.start(rotate ? 'after kill -9 and a rotation' : 'after kill -9');
        return;
      }
      case 'stop':
        this.count('stop');
        runs.signal('SIGSTOP');
        await sleep(this.random.int(10_000, 20_000));
        runs.signal('SIGCONT');
        return;
      case 'term':
        this.count('term');
        await this.stop('SIGTERM');
        await sleep(this.random.int(500, 3000));
        runs.start('after SIGTERM');
        return;
      case 'disk': {
        const disk = this.ctx.disk;
        if (disk === undefined) return;
        this.count('disk');
        disk.fill();
        await sleep(this.random.int(3000, 8000));
        await this.stop('SIGTERM');
        disk.free();
        await sleep(this.random.int(500, 2000));
        runs.start('after SIGTERM on a full disk');
        return;
      }
    }
  }
}
