const CHUNK_BITS = 11;
const MASK = (1 << CHUNK_BITS) - 1;
/** Rows per chunk of a {@link Column}: 16 KiB of numbers. */
export const CHUNK_ROWS = 1 << CHUNK_BITS;

/**
 * One number per row (an interval), appended in row order, in fixed chunks of typed arrays.
 * Growing never copies, and the numbers live outside the garbage-collected heap: a long
 * replay's columns add nothing to the collector's work (a growing JS array is copied at each
 * growth and survives young collections, which made V8 double its young generation). Rows
 * never set read 0. Pure.
 */
export class Column {
  private readonly chunks: Float64Array[] = [];

  /** Sets `row` (creating the chunks up to it, zeros). */
  set(row: number, value: number): void {
    const chunk = this.chunks[row >>> CHUNK_BITS];
    if (chunk !== undefined) chunk[row & MASK] = value;
    else {
      while (this.chunks.length <= row >>> CHUNK_BITS) this.chunks.push(new Float64Array(CHUNK_ROWS));
      this.set(row, value);
    }
  }

  /** The value of `row`; 0 when it was never set. */
  get(row: number): number {
    return this.chunks[row >>> CHUNK_BITS]?.[row & MASK] ?? 0;
  }

  /** Chunks allocated (for tests). */
  get chunkCount(): number {
    return this.chunks.length;
  }
}
