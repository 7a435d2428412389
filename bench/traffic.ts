/**
 * Event-time arrival processes for the log generator: when each request happens.
 * Arrivals are Poisson (exponential gaps) at a rate that depends on the current regime.
 */
import type { Random } from './prng.js';

/** One step of a scripted traffic profile: `rate` requests per second for `seconds`. */
export interface TrafficPhase {
  readonly seconds: number;
  /** Requests per second of event time; 0 makes a quiet spell with no lines. */
  readonly rate: number;
}

export interface Traffic {
  /** Event time (ms since the epoch) of the next request, or `undefined` when traffic ends. */
  next(): number | undefined;
  /** True during a burst: the generator then serves more 5xx. */
  readonly busy: boolean;
}

/** Rates at or above this many requests per second count as a burst. */
export const BUSY_RATE = 20;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Open-ended random traffic: a daily cycle around `rate` (x0.5 at 03:00, x1.5 at 15:00 UTC),
 * interrupted, when `bursts` is on, by bursts of 30-50 req/s lasting 1-5 minutes and quiet
 * spells of 2-6 minutes without any request. Normal stretches last 40 minutes on average,
 * so the long-run average is about 0.92 x rate + 1.4 req/s (8.0 req/s for rate 7.2).
 */
export class RandomTraffic implements Traffic {
  readonly #random: Random;
  readonly #rate: number;
  #time: number;
  #mode: 'normal' | 'burst' | 'quiet' = 'normal';
  #modeRate = 0;
  #modeEnd: number;

  constructor(random: Random, start: number, rate: number, bursts: boolean) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be > 0, got ${rate}`);
    this.#random = random;
    this.#rate = rate;
    this.#time = start;
    this.#modeEnd = bursts ? start + this.#normalLength() : Number.POSITIVE_INFINITY;
  }

  get busy(): boolean {
    return this.#mode === 'burst';
  }

  next(): number {
    for (;;) {
      if (this.#mode === 'quiet') {
        this.#switchMode();
        continue;
      }
      const rate = this.#mode === 'burst' ? this.#modeRate : this.#rate * diurnal(this.#time);
      const gap = this.#random.exponential(1000 / rate);
      if (this.#time + gap >= this.#modeEnd) {
        this.#switchMode();
        continue;
      }
      this.#time += gap;
      return this.#time;
    }
  }

  /** Jumps to the end of the current regime and draws the next one. */
  #switchMode(): void {
    const random = this.#random;
    this.#time = this.#modeEnd;
    if (this.#mode !== 'normal') {
      this.#mode = 'normal';
      this.#modeEnd = this.#time + this.#normalLength();
    } else if (random.chance(0.5)) {
      this.#mode = 'burst';
      this.#modeRate = random.uniform(30, 50);
      this.#modeEnd = this.#time + random.uniform(1, 5) * MINUTE;
    } else {
      this.#mode = 'quiet';
      this.#modeEnd = this.#time + random.uniform(2, 6) * MINUTE;
    }
  }

  #normalLength(): number {
    return 5 * MINUTE + this.#random.exponential(35 * MINUTE);
  }
}

/** Daily traffic cycle, mean 1: 0.5 at 03:00 UTC, 1.5 at 15:00 UTC. */
function diurnal(time: number): number {
  const dayFraction = (time % DAY) / DAY;
  return 1 + 0.5 * Math.sin(2 * Math.PI * (dayFraction - 0.375));
}

/** Scripted traffic: the phases in order, then the end of the log. */
export class PhasedTraffic implements Traffic {
  readonly #random: Random;
  readonly #phases: readonly TrafficPhase[];
  #index = 0;
  #time: number;
  #phaseEnd: number;

  constructor(random: Random, start: number, phases: readonly TrafficPhase[]) {
    for (const { seconds, rate } of phases) {
      if (!(seconds > 0) || !Number.isFinite(seconds)) throw new RangeError(`phase seconds must be > 0, got ${seconds}`);
      if (!(rate >= 0) || !Number.isFinite(rate)) throw new RangeError(`phase rate must be >= 0, got ${rate}`);
    }
    this.#random = random;
    this.#phases = phases;
    this.#time = start;
    this.#phaseEnd = start + (phases[0]?.seconds ?? 0) * 1000;
  }

  get busy(): boolean {
    return (this.#phases[this.#index]?.rate ?? 0) >= BUSY_RATE;
  }

  next(): number | undefined {
    for (;;) {
      const phase = this.#phases[this.#index];
      if (phase === undefined) return undefined;
      const gap = phase.rate > 0 ? this.#random.exponential(1000 / phase.rate) : Number.POSITIVE_INFINITY;
      if (this.#time + gap >= this.#phaseEnd) {
        this.#time = this.#phaseEnd;
        this.#index++;
        this.#phaseEnd += (this.#phases[this.#index]?.seconds ?? 0) * 1000;
        continue;
      }
      this.#time += gap;
      return this.#time;
    }
  }
}
