/** Figures over several rounds of one measurement: the median and the range, as the bench tables show them. */

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly rounds: number;
}

/** Min, median (mean of the two middle values for an even count) and max of `values` (not empty). */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)!, rounds: sorted.length };
}

/** `median (min–max)` with `digits` decimals. */
export function showSpread(s: Spread, digits: number, scale = 1): string {
  const f = (n: number): string => (n * scale).toFixed(digits);
  return s.rounds === 1 ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
