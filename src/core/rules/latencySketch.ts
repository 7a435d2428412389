/**
 * Durations in log-spaced buckets (DDSketch's logarithmic mapping): a duration x > 0 falls in
 * bucket i = ceil(log_γ x), γ = (1 + α) / (1 − α), and bucket i stands for 2γ^i / (γ + 1),
 * within a relative error α of every duration in it. Counts add and subtract exactly, so a
 * sliding window keeps one merged sketch (add the interval coming in, subtract the one going
 * out) and its quantiles stay within α of the exact ones, whatever the window holds.
 * Durations at or below 1 µs count as 0. Plain data (JSON-safe), for checkpoints.
 */

/** Relative error of a quantile: 1 %. */
export const SKETCH_ALPHA = 0.01;
const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LOG_GAMMA = Math.log(GAMMA);
/** Durations (s) at or below this count as zero. */
const MIN_DURATION = 1e-6;

/** Durations in log buckets (plain data): see the module's comment. */
export interface LatencySketch {
  /** Durations counted. */
  count: number;
  /** Those at or below 1 µs. */
  zero: number;
  /** Count per bucket index. */
  readonly bins: Record<string, number>;
}

export function createSketch(): LatencySketch {
  return { count: 0, zero: 0, bins: {} };
}

/** The bucket of a duration in seconds (> 1 µs). */
export function bucketOf(seconds: number): number {
  return Math.ceil(Math.log(seconds) / LOG_GAMMA);
}

/** What bucket `index` stands for, seconds. */
export function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

export function addDuration(sketch: LatencySketch, seconds: number): void {
  if (!(seconds >= 0)) return; // unreadable: not counted
  sketch.count++;
  if (seconds <= MIN_DURATION) sketch.zero++;
  else {
    const key = bucketOf(seconds);
    sketch.bins[key] = (sketch.bins[key] ?? 0) + 1;
  }
}

/** `into` += `sign` × `other` (1 merges, -1 removes what was merged). */
export function mergeSketch(into: LatencySketch, other: LatencySketch, sign: 1 | -1 = 1): void {
  into.count += sign * other.count;
  into.zero += sign * other.zero;
  for (const key of Object.keys(other.bins)) {
    const n = (into.bins[key] ?? 0) + sign * (other.bins[key] as number);
    if (n === 0) delete into.bins[key];
    else into.bins[key] = n;
  }
}

/**
 * The q-quantile (0 <= q <= 1) of the durations counted, seconds: the duration of rank
 * floor(q × (count − 1)) in ascending order (0-based), within a relative error of
 * `SKETCH_ALPHA`. NaN when the sketch is empty.
 */
export function quantileOf(sketch: LatencySketch, q: number): number {
  if (sketch.count <= 0) return NaN;
  const rank = Math.floor(q * (sketch.count - 1));
  if (rank < sketch.zero) return 0;
  const keys = Object.keys(sketch.bins)
    .map(Number)
    .sort((a, b) => a - b);
  let seen = sketch.zero;
  for (const key of keys) {
    seen += sketch.bins[key] as number;
    if (seen > rank) return bucketValue(key);
  }
  return bucketValue(keys[keys.length - 1] as number);
}
