/** The eight levels of a sparkline, lowest first. */
export const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** The level (0..7) of `value` on a scale whose full block is `top`; 0 and below → 0. */
export function blockLevel(value: number, top: number): number {
  if (!(top > 0) || !(value > 0)) return 0;
  return Math.min(7, Math.max(0, Math.ceil((value / top) * 8) - 1));
}

/** The block of `value` on a scale whose full block is `top`. */
export function block(value: number, top: number): string {
  return BLOCKS[blockLevel(value, top)] ?? '▁';
}

/** One block per value, scaled so that `top` is a full block (`█`). */
export function sparkline(values: readonly number[], top: number): string {
  return values.map((v) => block(v, top)).join('');
}

/**
 * The top of a scale that shows both the values and a threshold: the largest value or the
 * threshold, whichever is higher (1 when both are 0).
 */
export function sparklineTop(values: readonly number[], threshold: number): number {
  const top = Math.max(threshold, ...values);
  return top > 0 ? top : 1;
}
