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
    return this.queueOf(row).ends[this.rowRef[row] as number] as number;
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

/** One source's ids of one dictionary run, mapped to the merge's (-1: not looked up yet). */
export class IdMap {
  private hostDict: readonly string[] | undefined;
  private sectionDict: readonly string[] | undefined;
  private generation = -1;
  private hosts = new Int32Array(64).fill(-1);
  private sections = new Int32Array(64).fill(-1);

  /** Ready for rows of `run` (call before `host` / `section`). */
  use(run: DictRun, names: MergedNames): void {
    if (names.generation !== this.generation) {
      this.generation = names.generation;
      this.hostDict = this.sectionDict = undefined;
    }
    if (run.hostDict !== this.hostDict) {
      this.hostDict = run.hostDict;
      this.hosts.fill(-1);
    }
    if (run.sectionDict !== this.sectionDict) {
      this.sectionDict = run.sectionDict;
      this.sections.fill(-1);
    }
  }

  host(id: number, names: MergedNames): number {
    if (id >= this.hosts.length) this.hosts = widen(this.hosts, id);
    let merged = this.hosts[id] as number;
    if (merged < 0) this.hosts[id] = merged = names.hostId((this.hostDict as readonly string[])[id] as string);
    return merged;
  }

  section(id: number, names: MergedNames): number {
    if (id >= this.sections.length) this.sections = widen(this.sections, id);
    let merged = this.sections[id] as number;
    if (merged < 0) this.sections[id] = merged = names.sectionId((this.sectionDict as readonly string[])[id] as string);
    return merged;
  }
}

function widen(ids: Int32Array, id: number): Int32Array<ArrayBuffer> {
  let length = ids.length * 2;
  while (length <= id) length *= 2;
  const wider = new Int32Array(length).fill(-1);
  wider.set(ids);
  return wider;
}
