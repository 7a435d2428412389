/**
 * A `ParsedLine` as a record batch of one row: how a stage that folds record batches takes a
 * line someone parsed by hand (Vector's "a component that handles one event treats it as an
 * array of one"). The batch is lent, and reused for the next line; hosts and sections are
 * interned in tables of its own, so windows fold these rows as they fold the parser's.
 */
import { defer, map, type OperatorFunction } from 'rxjs';
import type { AccessRecord, InvalidLine, ParsedLine } from '../types.js';
import { InternTable } from '../parse/internTable.js';
import { RecordBatch } from '../parse/recordBatch.js';

class OneRowBatch extends RecordBatch {
  record: AccessRecord | undefined;

  constructor() {
    super(() => {
      throw new Error('a batch of a parsed line has no text to parse');
    });
    this.textOf = () => (this.record === undefined ? (this.invalid[0]?.line ?? '') : this.record.path);
  }

  override recordAt(row: number): AccessRecord {
    if (row !== 0 || this.record === undefined) throw new Error(`RecordBatch: row ${row} is not a record`);
    return this.record;
  }
}

export class ParsedBatcher {
  private readonly hosts = new InternTable(12);
  private readonly sections = new InternTable(12);
  private readonly batch = new OneRowBatch();

  /** `item` itself when it is a batch, else a (lent) batch of one row holding it. */
  of(item: RecordBatch | ParsedLine): RecordBatch {
    if (item instanceof RecordBatch) return item;
    const batch = this.batch;
    batch.reset();
    batch.count = 1;
    if (item.type === 'invalid') {
      batch.record = undefined;
      batch.status[0] = 0;
      batch.invalid.push(item as InvalidLine);
      batch.durations = false;
      return batch;
    }
    batch.record = item;
    batch.times[0] = item.time;
    batch.status[0] = item.status;
    batch.bytes[0] = item.bytes;
    batch.hostIds[0] = this.hosts.idOf(item.host);
    batch.sectionIds[0] = this.sections.idOf(item.section);
    batch.hostDict = this.hosts.dictionary;
    batch.sectionDict = this.sections.dictionary;
    batch.durations = item.duration !== undefined;
    return batch;
  }
}

/** Record batches as they are, parsed lines as batches of one row (a batcher per subscription). */
export function asRecordBatches(): OperatorFunction<RecordBatch | ParsedLine, RecordBatch> {
  return (source) =>
    defer(() => {
      const batcher = new ParsedBatcher();
      return source.pipe(map((item) => batcher.of(item)));
    });
}
