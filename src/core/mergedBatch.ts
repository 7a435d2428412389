/**
 * What `mergeByTime`'s batch view hands on: a record batch whose rows come from several
 * sources' queues (src/core/rowQueue.ts), in merge order. Hosts and sections are ids of the
 * merge's own dictionaries (`MergedNames`), so that rows of every source fold into a window
 * without switching dictionaries; `sources` says which source each row came from.
 */
import type { AccessRecord } from '../types.js';
import { BATCH_ROWS, RecordBatch } from '../parse/recordBatch.js';
import { idIn, type DictRun, type RowQueue } from './rowQueue.js';

/** Distinct names the merge keeps before it starts new dictionaries. */
const MAX_MERGED_NAMES = 1 << 16;

export class MergedBatch extends RecordBatch {
  override sources: Int32Array = new Int32Array(BATCH_ROWS);
  /** Row -> row of its source's queue. */
  readonly rowRef = new Int32Array(BATCH_ROWS);

  constructor(private readonly queues: readonly RowQueue[]) {
    super(() => {
      throw new Error('MergedBatch: rows are read through recordAt');
    });
    this.textOf = (row) => this.queueOf(row).textOf(this.rowRef[row] as number);
  }

  override recordAt(row: number): AccessRecord {
    return this.queueOf(row).recordAt(this.rowRef[row] as number);
  }

  override originOf(row: number): unknown {
    return this.queueOf(row).originAt(this.rowRef[row] as number);
  }

  override endOf(row: number): number {
    return this.queueOf(row).endOf(this.rowRef[row] as number);
  }

  private queueOf(row: number): RowQueue {
    return this.queues[this.sources[row] as number] as RowQueue;
  }
}

/** The merge's dictionaries, and for each source its ids mapped to the merge's. */
export class MergedNames {
  hosts: string[] = [];
  sections: string[] = [];
  private hostIds = new Map<string, number>();
  private sectionIds = new Map<string, number>();
  generation = 0;

  get full(): boolean {
    return this.hosts.length >= MAX_MERGED_NAMES || this.sections.length >= MAX_MERGED_NAMES;
  }

  /** New dictionaries (the old arrays stay valid for the batches that hold them). */
  clear(): void {
    this.hosts = [];
    this.sections = [];
    this.hostIds = new Map();
    this.sectionIds = new Map();
    this.generation++;
  }

  hostId(name: string): number {
    return idIn(this.hostIds, this.hosts, name);
  }

  sectionId(name: string): number {
    return idIn(this.sectionIds, this.sections, name);
  }
}

/**
 * One source's ids of one dictionary run, mapped to the merge's. Parsers are shared by the
 * sources (`parseAccessLog`), so a small file's ids can be large and few: a dense table is
 * kept only while at least one slot in `DENSITY` is used, the other ids in a Map (a merge of
 * ten thousand small files holds a few entries each, not a table as long as the shared
 * dictionary).
 */
export class IdMap {
  private hostDict: readonly string[] | undefined;
  private sectionDict: readonly string[] | undefined;
  private generation = -1;
  private readonly hosts = new SparseIds();
  private readonly sections = new SparseIds();

  /** Ready for rows of `run` (call before `host` / `section`). */
  use(run: DictRun, names: MergedNames): void {
    if (names.generation !== this.generation) {
      this.generation = names.generation;
      this.hostDict = this.sectionDict = undefined;
    }
    if (run.hostDict !== this.hostDict) {
      this.hostDict = run.hostDict;
      this.hosts.clear();
    }
    if (run.sectionDict !== this.sectionDict) {
      this.sectionDict = run.sectionDict;
      this.sections.clear();
    }
  }

  host(id: number, names: MergedNames): number {
    let merged = this.hosts.get(id);
    if (merged < 0) this.hosts.set(id, (merged = names.hostId((this.hostDict as readonly string[])[id] as string)));
    return merged;
  }

  section(id: number, names: MergedNames): number {
    let merged = this.sections.get(id);
    if (merged < 0) this.sections.set(id, (merged = names.sectionId((this.sectionDict as readonly string[])[id] as string)));
    return merged;
  }

  /** Slots of its dense tables (for specs: memory per source). */
  get denseSlots(): number {
    return this.hosts.denseSlots + this.sections.denseSlots;
  }
}

/** A dense table is grown only while at least one of this many slots holds an id. */
const DENSITY = 8;
const NO_IDS = new Int32Array(0);

/** Non-negative ids to non-negative values (-1: none), dense while dense enough, else in a Map. */
class SparseIds {
  private dense: Int32Array<ArrayBuffer> = NO_IDS;
  private sparse: Map<number, number> | undefined;
  private count = 0;

  get denseSlots(): number {
    return this.dense.length;
  }

  get(id: number): number {
    if (id < this.dense.length) return this.dense[id] as number;
    return this.sparse?.get(id) ?? -1;
  }

  set(id: number, value: number): void {
    this.count++;
    if (id >= this.dense.length) {
      let length = Math.max(64, this.dense.length * 2);
      while (length <= id) length *= 2;
      if (this.count * DENSITY < length) {
        (this.sparse ??= new Map()).set(id, value);
        return;
      }
      const wider = new Int32Array(length).fill(-1);
      wider.set(this.dense);
      if (this.sparse !== undefined) for (const [key, mapped] of this.sparse) if (key < length) wider[key] = mapped;
      this.dense = wider;
      if (this.sparse !== undefined) for (const key of [...this.sparse.keys()]) if (key < length) this.sparse.delete(key);
    }
    this.dense[id] = value;
  }

  clear(): void {
    this.dense.fill(-1);
    this.sparse = undefined;
    this.count = 0;
  }
}
