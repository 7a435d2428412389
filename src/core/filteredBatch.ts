/**
 * Some rows of a lent record batch, copied into a batch of their own (e.g. the records in
 * `eventTimeRange`'s range): columns copied, text and full records read through the parent
 * batch, so it is valid while the parent is (during the same `next` call).
 */
import type { AccessRecord, InvalidLine } from '../types.js';
import { BATCH_ROWS, RecordBatch } from '../parse/recordBatch.js';

export class FilteredBatch extends RecordBatch {
  /** Row -> row of the parent. */
  readonly rowMap = new Int32Array(BATCH_ROWS);
  private readonly ownSources = new Int32Array(BATCH_ROWS);
  private parent: RecordBatch | undefined;

  constructor() {
    super((line) => (this.parent as RecordBatch).parse(line));
    this.textOf = (row) => (this.parent as RecordBatch).textOf(this.rowMap[row] as number);
  }

  /** Empty, to take rows of `parent`. */
  start(parent: RecordBatch): void {
    this.reset();
    this.parent = parent;
    this.hostDict = parent.hostDict;
    this.sectionDict = parent.sectionDict;
    this.sources = parent.sources === undefined ? undefined : this.ownSources;
    this.durations = parent.durations;
  }

  /** Appends row `row` of the parent (invalid rows: their `InvalidLine` given in order). */
  add(row: number, invalidIndex: number): void {
    const parent = this.parent as RecordBatch;
    const o = this.count++;
    this.rowMap[o] = row;
    const code = parent.status[row] as number;
    this.status[o] = code;
    if (code === 0) this.invalid.push(parent.invalid[invalidIndex] as InvalidLine);
    else {
      this.times[o] = parent.times[row] as number;
      this.bytes[o] = parent.bytes[row] as number;
      this.hostIds[o] = parent.hostIds[row] as number;
      this.sectionIds[o] = parent.sectionIds[row] as number;
    }
    if (parent.sources !== undefined) this.ownSources[o] = parent.sources[row] as number;
  }

  override originOf(row: number): unknown {
    return (this.parent as RecordBatch).originOf(this.rowMap[row] as number);
  }

  override endOf(row: number): number {
    return (this.parent as RecordBatch).endOf(this.rowMap[row] as number);
  }

  override recordAt(row: number): AccessRecord {
    return (this.parent as RecordBatch).recordAt(this.rowMap[row] as number);
  }
}
