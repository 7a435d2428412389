import { CHUNK_ROWS } from './column.js';

/** One chunk of {@link IntervalRows}: a typed array per figure, {@link CHUNK_ROWS} rows. */
export interface RowChunk {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly hits: Float64Array;
  readonly bytes: Float64Array;
  readonly clients: Float64Array;
  readonly invalid: Float64Array;
  readonly late: Float64Array;
  readonly rate: Float64Array;
}

function newChunk(): RowChunk {
  const a = (): Float64Array => new Float64Array(CHUNK_ROWS);
  return { start: a(), end: a(), hits: a(), bytes: a(), clients: a(), invalid: a(), late: a(), rate: a() };
}

/**
 * The figures of every interval, one row each, appended in order, in chunks of typed arrays
 * (as a {@link Column}: growing never copies, nothing on the garbage-collected heap but the
 * chunks' small objects). One call and one chunk lookup per row. Pure.
 */
export class IntervalRows {
  private readonly chunks: RowChunk[] = [];
  private count = 0;

  /** Rows appended. */
  get rows(): number {
    return this.count;
  }

  /** Appends a row; returns its index. */
  append(start: number, end: number, hits: number, bytes: number, clients: number, invalid: number, late: number, rate: number): number {
    const row = this.count++;
    const at = row % CHUNK_ROWS;
    let c = this.chunks[this.chunks.length - 1];
    if (at === 0 || c === undefined) {
      c = newChunk();
      this.chunks.push(c);
    }
    c.start[at] = start;
    c.end[at] = end;
    c.hits[at] = hits;
    c.bytes[at] = bytes;
    c.clients[at] = clients;
    c.invalid[at] = invalid;
    c.late[at] = late;
    c.rate[at] = rate;
    return row;
  }

  /** The chunk of `row` (read it at `row % CHUNK_ROWS`); `row` must be below {@link rows}. */
  chunkOf(row: number): RowChunk {
    return this.chunks[Math.floor(row / CHUNK_ROWS)] as RowChunk;
  }
}
