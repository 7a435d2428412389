/**
 * Parsed lines in bulk, for the hand-over from a parsing worker to the aggregating thread:
 * columns in one transferable ArrayBuffer, hosts and sections as the worker's intern-table
 * ids, and the names of the ids that are new since its previous batch. An invalid line has
 * the code of its reason (1..6, see `codeOfReason`) as status. Batches carry the byte range of the file their lines start in; the last batch of
 * a range says so (and whether the file ended in it).
 */
import type { InvalidReason } from '../types.js';
import { codeOfReason } from '../invalidReasons.js';
import { MAX_KEY, type InternTable } from './internTable.js';
import type { ParsedFields } from './parsedFields.js';
import type { RecordTarget } from './recordTarget.js';

/** Lines per batch (at most). */
export const BATCH_LINES = 4096;

/** The names of a table's ids: from `from` on; a new `generation` means earlier ids no longer hold. */
export interface NameUpdate {
  readonly generation: number;
  readonly from: number;
  readonly names: readonly string[];
}

export interface BatchMessage {
  readonly type: 'batch';
  /** Index of the byte range the lines start in. */
  readonly range: number;
  /** The range's last batch. */
  readonly last: boolean;
  /** The file ended in this range (so no later range has lines). */
  readonly eof: boolean;
  readonly count: number;
  readonly columns: ArrayBuffer;
  readonly hosts: NameUpdate;
  readonly sections: NameUpdate;
}

/** Views of the columns of a batch buffer. */
export class BatchColumns {
  readonly buffer: ArrayBuffer;
  readonly times: Float64Array;
  readonly bytes: Float64Array;
  readonly hostIds: Int32Array;
  readonly sectionIds: Int32Array;
  readonly status: Uint16Array;

  constructor(buffer?: ArrayBuffer) {
    this.buffer = buffer ?? new ArrayBuffer(BATCH_LINES * 26);
    const n = BATCH_LINES;
    this.times = new Float64Array(this.buffer, 0, n);
    this.bytes = new Float64Array(this.buffer, 8 * n, n);
    this.hostIds = new Int32Array(this.buffer, 16 * n, n);
    this.sectionIds = new Int32Array(this.buffer, 20 * n, n);
    this.status = new Uint16Array(this.buffer, 24 * n, n);
  }
}

/** Collects lines into batches; `send` gets each full batch, and the last one of each range. */
export class BatchWriter implements RecordTarget {
  private columns = new BatchColumns();
  /** Column buffers handed back by the receiver. */
  private readonly spare: ArrayBuffer[] = [];
  private count = 0;
  private range = 0;
  private readonly sent = [{ generation: 0, size: 0 }, { generation: 0, size: 0 }];

  constructor(
    private readonly hosts: InternTable,
    private readonly sections: InternTable,
    private readonly send: (batch: BatchMessage) => void,
  ) {
    this.makeRoom();
  }

  /** The lines that follow start in range `range`. */
  startRange(range: number): void {
    this.range = range;
  }

  record(fields: ParsedFields): void {
    const c = this.columns;
    const i = this.count;
    c.times[i] = fields.time;
    c.bytes[i] = fields.bytes;
    c.hostIds[i] = fields.hostId;
    c.sectionIds[i] = fields.sectionId;
    c.status[i] = fields.status;
    if (++this.count === BATCH_LINES) this.flush(false, false);
  }

  invalidLine(reason: InvalidReason): void {
    this.columns.status[this.count] = codeOfReason(reason);
    if (++this.count === BATCH_LINES) this.flush(false, false);
  }

  /** Sends the rest of the range (possibly no line), marked as its last batch. */
  endRange(eof: boolean): void {
    this.flush(true, eof);
  }

  private flush(last: boolean, eof: boolean): void {
    const batch: BatchMessage = {
      type: 'batch',
      range: this.range,
      last,
      eof,
      count: this.count,
      columns: this.columns.buffer,
      hosts: this.update(this.hosts, 0),
      sections: this.update(this.sections, 1),
    };
    this.columns = new BatchColumns(this.spare.pop());
    this.count = 0;
    this.makeRoom();
    this.send(batch);
  }

  /** A column buffer the receiver is done with. */
  recycle(columns: ArrayBuffer): void {
    if (columns.byteLength === BATCH_LINES * 26 && this.spare.length < 64) this.spare.push(columns);
  }

  private update(table: InternTable, which: number): NameUpdate {
    const sent = this.sent[which] as { generation: number; size: number };
    const from = sent.generation === table.generation ? sent.size : 0;
    sent.generation = table.generation;
    sent.size = table.size;
    return { generation: table.generation, from, names: table.namesFrom(from) };
  }

  /** A batch never spans two generations of a table: start the next one now if a batch might not fit. */
  private makeRoom(): void {
    for (const table of [this.hosts, this.sections]) {
      if (!table.hasRoom(BATCH_LINES, BATCH_LINES * MAX_KEY)) table.clear();
    }
  }
}
