/**
 * Parsed lines in columns, what `parseAccessLog` hands to `eventTimeWindows`, Arrow-style: times, statuses and byte counts in typed arrays, hosts
 * and sections as ids of dictionaries (intern-table names), no object per line. Rows are the
 * non-blank lines in arrival order; an invalid line is a row with status 0, its `InvalidLine`
 * in `invalid` (in row order). The few lines that need a full record (late ones) get it from
 * `recordAt`, which parses the row's text again with the string parser.
 */
import type { AccessRecord, InvalidLine } from '../types.js';
import type { LineParser } from './logFormat.js';
import type { LineChunk } from '../source/lineChunk.js';

/** Rows per batch, at most. */
export const BATCH_ROWS = 4096;

/**
 * Parsed lines in columns: what `parseAccessLog` emits and `eventTimeWindows` folds. Row `r`
 * (0 <= r < `count`) is a request when `status[r]` is not 0 (its time, status, bytes, and host
 * and section as ids of `hostDict` and `sectionDict`), else an invalid line (the next one of
 * `invalid`). A batch is lent: valid during the `next` call that delivers it, reused after; use
 * `filterRows` to drop rows and `toRecords` for objects of your own.
 */
export class RecordBatch {
  /** Rows in the batch. */
  count = 0;
  /** Event time of each row, ms since the epoch. */
  readonly times = new Float64Array(BATCH_ROWS);
  /** HTTP status of each row, or 0 for an invalid line. */
  readonly status = new Uint16Array(BATCH_ROWS);
  /** Response size of each row, bytes. */
  readonly bytes = new Float64Array(BATCH_ROWS);
  /** Client of each row, as an index into `hostDict`. */
  readonly hostIds = new Int32Array(BATCH_ROWS);
  /** Section of each row, as an index into `sectionDict`. */
  readonly sectionIds = new Int32Array(BATCH_ROWS);
  /** The names of the host and section ids (valid for every row of the batch). */
  hostDict: readonly string[] = [];
  /** The names of the section ids. */
  sectionDict: readonly string[] = [];
  /** The invalid lines, in row order. */
  readonly invalid: InvalidLine[] = [];
  /** Rows may carry a duration (the format has `%D` or `%T`): read it with `recordAt`. */
  durations = false;
  /** The text of each row, for `recordAt`. */
  textOf: (row: number) => string = () => '';
  /**
   * Where the rows' lines lie, for a stage that copies rows out of the lent batch (the merge
   * of several files): row r is line `rowLine[r]` of `chunk`. Undefined for a batch of strings.
   */
  lines:
    | {
        /** The chunk of lines the rows were parsed from. */
        readonly chunk: LineChunk;
        /** Row -> line of `chunk`. */
        readonly rowLine: Int32Array;
      }
    | undefined = undefined;
  /** Merged batches (`mergeByTime`): the index of the source each row came from, in order of arrival. */
  sources: Int32Array | undefined = undefined;
  /** What the source says about where the batch's lines come from (follow mode: the file and chunk read), if anything. */
  origin: unknown = undefined;

  /** The origin of a row (the batch's; merged batches keep each row's). */
  originOf(_row: number): unknown {
    return this.origin;
  }

  /** Where a row's line ends in its input (offset after its newline), or NaN when unknown. */
  endOf(row: number): number {
    const lines = this.lines;
    return lines === undefined ? NaN : (lines.chunk.offsets[lines.rowLine[row] as number] as number);
  }

  /** @param parse the string parser that made the rows (and makes `recordAt`'s records). */
  constructor(
    /** @internal */
    readonly parse: LineParser,
  ) {}

  /** The full record of a valid row (its line parsed again as a string). */
  recordAt(row: number): AccessRecord {
    const parsed = this.parse(this.textOf(row));
    if (parsed.type !== 'record') throw new Error(`RecordBatch: row ${row} is not a record`);
    return parsed;
  }

  /** Empty, ready to be filled again. */
  reset(): void {
    this.count = 0;
    if (this.invalid.length > 0) this.invalid.length = 0;
  }
}
