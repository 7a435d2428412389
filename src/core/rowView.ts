/**
 * One row of a record batch seen as fields, for a stage of your own (`filterRows`): a cursor
 * over the batch's columns, moved from row to row, so that looking at a row makes no object.
 */
import type { AccessRecord } from '../types.js';
import type { RecordBatch } from '../parse/recordBatch.js';

/** One request of a record batch, read field by field from its columns (see `filterRows`). */
export class RowView {
  /** The batch the row belongs to (lent, as the batch is). */
  batch: RecordBatch | undefined;
  /** Its row number in `batch`. */
  row = 0;

  /** Event time, ms since the epoch. */
  get time(): number {
    return this.of().times[this.row] as number;
  }

  /** HTTP status. */
  get status(): number {
    return this.of().status[this.row] as number;
  }

  /** Response size in bytes. */
  get bytes(): number {
    return this.of().bytes[this.row] as number;
  }

  /** Client address or host name. */
  get host(): string {
    const batch = this.of();
    return batch.hostDict[batch.hostIds[this.row] as number] as string;
  }

  /** First path segment of the request target, e.g. `/api`. */
  get section(): string {
    const batch = this.of();
    return batch.sectionDict[batch.sectionIds[this.row] as number] as string;
  }

  /** The whole record (method, path, duration...): parses the line again, so use it sparingly. */
  record(): AccessRecord {
    return this.of().recordAt(this.row);
  }

  private of(): RecordBatch {
    if (this.batch === undefined) throw new Error('RowView: no batch');
    return this.batch;
  }
}
