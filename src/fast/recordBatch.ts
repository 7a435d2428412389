/**
 * Parsed lines in bulk, for the hand-over from the parsing worker to the aggregating thread:
 * columns in one transferable ArrayBuffer, hosts and sections as intern-table ids, and the
 * names of the ids that are new since the previous batch. An invalid line is status 0.
 */
import { MAX_KEY, type InternTable } from './internTable.js';
import type { ParsedFields } from './parsedFields.js';
import type { RecordTarget } from './recordTarget.js';

/** Lines per batch (at most). */
export const BATCH_LINES = 4096;

/** The names of a table's ids: from `from` on; `generation` tells whether earlier ids still hold. */
export interface NameUpdate {
  readonly generation: number;
  readonly from: number;
  readonly names: readonly string[];
}

export interface BatchMessage {
  readonly type: 'batch';
  readonly count: number;
  readonly columns: ArrayBuffer;
  readonly hosts: NameUpdate;
  readonly sections: NameUpdate;
}

/** Views of the columns of a batch buffer. */
export class BatchColumns {
  readonly times: Float64Array;
  readonly bytes: Float64Array;
  readonly hostIds: Int32Array;
  readonly sectionIds: Int32Array;
  readonly status: Uint16Array;

  constructor(readonly buffer: ArrayBuffer = new ArrayBuffer(BATCH_LINES * 26)) {
    const n = BATCH_LINES;
    this.times = new Float64Array(buffer, 0, n);
    this.bytes = new Float64Array(buffer, 8 * n, n);
    this.hostIds = new Int32Array(buffer, 16 * n, n);
    this.sectionIds = new Int32Array(buffer, 20 * n, n);
    this.status = new Uint16Array(buffer, 24 * n, n);
  }
}

/** Collects lines into batches; `send` gets each full batch (and the last one on `flush`). */
export class BatchWriter implements RecordTarget {
  private columns = new BatchColumns();
  private count = 0;
  private readonly sent = [{ generation: 0, size: 0 }, { generation: 0, size: 0 }];

  constructor(
    private readonly hosts: InternTable,
    private readonly sections: InternTable,
    private readonly send: (batch: BatchMessage) => void,
  ) {
    this.makeRoom();
  }

  record(fields: ParsedFields): void {
    const c = this.columns;
    const i = this.count;
    c.times[i] = fields.time;
    c.bytes[i] = fields.bytes;
    c.hostIds[i] = fields.hostId;
    c.sectionIds[i] = fields.sectionId;
    c.status[i] = fields.status;
    if (++this.count === BATCH_LINES) this.flush();
  }

  invalidLine(): void {
    this.columns.status[this.count] = 0;
    if (++this.count === BATCH_LINES) this.flush();
  }

  /** Sends the lines collected so far, if any. */
  flush(): void {
    if (this.count === 0) return;
    const batch: BatchMessage = {
      type: 'batch',
      count: this.count,
      columns: this.columns.buffer,
      hosts: this.update(this.hosts, 0),
      sections: this.update(this.sections, 1),
    };
    this.columns = new BatchColumns();
    this.count = 0;
    this.makeRoom();
    this.send(batch);
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

/** The receiving side's copy of a table's names. */
export class NameMirror {
  private names: string[] = [];

  apply(update: NameUpdate): readonly string[] {
    if (update.from === 0) this.names = [...update.names];
    else for (const name of update.names) this.names.push(name);
    return this.names;
  }
}
