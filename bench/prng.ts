/**
 * Seeded pseudo-random numbers for the benchmark generator: sfc32 (128 bits of state, fast,
 * passes PractRand), seeded through splitmix32. The same seed always gives the same sequence:
 * only 32-bit integer arithmetic, plus `Math.log`/`Math.exp` which V8 computes with its own
 * portable (fdlibm) code.
 */

/** splitmix32: turns one 32-bit counter into a stream of well-mixed 32-bit words. */
function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e37_79b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85eb_ca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2_ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /**
   * @param seed any safe integer
   * @param stream selects an independent sequence for the same seed, so that one part of a
   *   generator can change how many numbers it draws without shifting the others.
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    if (!Number.isSafeInteger(stream) || stream < 0) throw new RangeError(`stream must be >= 0, got ${stream}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
    const mix = splitmix32(lo ^ splitmix32(hi ^ Math.imul(stream, 0x632b_e5ab))());
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Exponentially distributed with the given mean (Poisson inter-arrival times). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Log-uniform in [min, max): sizes spread over orders of magnitude. */
  logUniform(min: number, max: number): number {
    return Math.floor(min * Math.exp(this.next() * Math.log(max / min)));
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return at(items, this.below(items.length));
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += HEX[this.below(16)];
    return s;
  }
}

const HEX = '0123456789abcdef';

/** `items[i]`, or a thrown error instead of `undefined` (an internal bug, never bad input). */
export function at<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new RangeError(`index ${i} out of range 0..${items.length - 1}`);
  return item;
}

/** Draws values with fixed relative weights: binary search over cumulative weights. */
export class Weighted<T> {
  readonly #values: readonly T[];
  readonly #cumulative: Float64Array;
  readonly #total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('Weighted needs at least one entry');
    this.#values = entries.map(([value]) => value);
    this.#cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0)) throw new RangeError(`weight must be >= 0, got ${weight}`);
      sum += weight;
      this.#cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new RangeError('Weighted needs a positive total weight');
    this.#total = sum;
  }

  sample(random: Random): T {
    const x = random.next() * this.#total;
    const c = this.#cumulative;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return at(this.#values, lo);
  }
}

/** Zipf weights 1/k^s for ranks 1..n, scaled so that they sum to `total`. */
export function zipfWeights(n: number, s: number, total = 1): number[] {
  const raw = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w * total) / sum);
}
