/**
 * One source's rows waiting in `mergeByTime`'s batch view: columns owned by the merge, copied
 * out of the source's lent record batches (`RecordBatch`, src/parse/recordBatch.ts), no object per line. A row
 * keeps its host and section as ids of its source's dictionaries (`DictRun`s say which), its
 * line's bytes (for `textOf` / `recordAt`: late lines, `--by vhost`), and, for an invalid line
 * or a row from a plain Observable of parsed lines, its object.
 */
import type { AccessRecord, InvalidLine, ParsedLine } from '../types.js';
import type { LineParser } from '../parse/logFormat.js';
import type { RecordBatch } from '../parse/recordBatch.js';

/** From row `start` on, ids name strings of these dictionaries, and `parse` reads the text. */
export interface DictRun {
  readonly start: number;
  readonly hostDict: readonly string[];
  readonly sectionDict: readonly string[];
  readonly parse: LineParser | undefined;
  /** The rows' origin (`RecordBatch.origin`). */
  readonly origin: unknown;
}

/** Names to ids for rows given as objects (a plain Observable<ParsedLine>). */
const MAX_OWN_NAMES = 1 << 15;
/** Rows and text bytes a queue starts with (doubled as needed): a merge of thousands of small files stays small. */
const INITIAL_ROWS = 16;
const INITIAL_ARENA = 1024;
/**
 * A queue of the initial size left with this many rows or fewer after a flush keeps them in
 * columns of their size (a file's last lines wait in the merge until it has caught up: ten
 * thousand followed files hold a row or two each, not a set of initial columns each; a busy
 * source, grown past the initial size, keeps its columns).
 */
const FEW_ROWS = 4;

/** A queue's columns and text arena at their initial sizes. */
interface Columns {
  readonly times: Float64Array;
  readonly status: Uint16Array;
  readonly bytes: Float64Array;
  readonly hostIds: Int32Array;
  readonly sectionIds: Int32Array;
  readonly ends: Float64Array;
  readonly textStart: Int32Array;
  readonly textEnd: Int32Array;
  readonly arena: Buffer;
}

/**
 * Columns of queues that emptied, for the next queue that gets rows: a queue holds columns
 * only while it holds rows (or grew past the initial size), so a merge of ten thousand quiet
 * files holds a few sets between them, not one each.
 */
const spareColumns: Columns[] = [];
const MAX_SPARE_COLUMNS = 64;
const NO_ROWS = new Float64Array(0);
const NO_STATUS = new Uint16Array(0);
const NO_IDS = new Int32Array(0);
const NO_TEXT = Buffer.alloc(0);
const NO_RUNS: DictRun[] = [];

export class RowQueue {
  head = 0;
  tail = 0;
  times: Float64Array = NO_ROWS;
  status: Uint16Array = NO_STATUS;
  bytes: Float64Array = NO_ROWS;
  hostIds: Int32Array = NO_IDS;
  sectionIds: Int32Array = NO_IDS;
  /** Where each row's line ends in its input (`RecordBatch.endOf`). */
  ends: Float64Array = NO_ROWS;
  private textStart: Int32Array = NO_IDS;
  private textEnd: Int32Array = NO_IDS;
  private arena: Buffer = NO_TEXT;
  private arenaEnd = 0;
  /** Objects by row (invalid lines; records from plain sources), sparse; none until one comes. */
  private objects: (ParsedLine | undefined)[] | undefined;
  private runs: DictRun[] = NO_RUNS;
  /** Index in `runs` of the head row's run. */
  private run = 0;
  /** Own dictionaries for rows given as objects (none until one comes). */
  private own: OwnDicts | undefined;

  get size(): number {
    return this.tail - this.head;
  }

  /** Event time of row `row`, or -Infinity for an invalid line (it never waits). */
  timeAt(row: number): number {
    return this.status[row] === 0 ? -Infinity : (this.times[row] as number);
  }

  /** The run of the head row (call with rows in order). */
  runAt(row: number): DictRun {
    while (this.run + 1 < this.runs.length && (this.runs[this.run + 1] as DictRun).start <= row) this.run++;
    return this.runs[this.run] as DictRun;
  }

  /** The run of any row still queued (without moving the head's run). */
  private runOf(row: number): DictRun {
    for (let i = this.runs.length - 1; i > 0; i--) if ((this.runs[i] as DictRun).start <= row) return this.runs[i] as DictRun;
    return this.runs[0] as DictRun;
  }

  originAt(row: number): unknown {
    return this.runs.length === 0 ? undefined : this.runOf(row).origin;
  }

  invalidAt(row: number): InvalidLine {
    return this.objects?.[row] as InvalidLine;
  }

  textOf(row: number): string {
    return this.arena.toString('utf8', this.textStart[row] as number, this.textEnd[row] as number);
  }

  recordAt(row: number): AccessRecord {
    const own = this.objects?.[row];
    if (own !== undefined && own.type === 'record') return own;
    const parse = this.runOf(row).parse;
    const parsed = parse?.(this.textOf(row));
    if (parsed?.type !== 'record') throw new Error(`RowQueue: row ${row} is not a record`);
    return parsed;
  }

  /**
   * Copies the rows of a lent batch. `moveAllowed`: rows may be moved (no row of this queue
   * is referenced by a batch being filled).
   */
  pushBatch(batch: RecordBatch, moveAllowed: boolean): void {
    const count = batch.count;
    if (count === 0) return;
    this.makeRoom(count, moveAllowed);
    const at = this.tail;
    this.times.set(batch.times.subarray(0, count), at);
    this.status.set(batch.status.subarray(0, count), at);
    this.bytes.set(batch.bytes.subarray(0, count), at);
    this.hostIds.set(batch.hostIds.subarray(0, count), at);
    this.sectionIds.set(batch.sectionIds.subarray(0, count), at);
    const last = this.runs[this.runs.length - 1];
    if (
      last === undefined ||
      last.hostDict !== batch.hostDict ||
      last.sectionDict !== batch.sectionDict ||
      last.parse !== batch.parse ||
      last.origin !== batch.origin
    ) {
      this.addRun({ start: at, hostDict: batch.hostDict, sectionDict: batch.sectionDict, parse: batch.parse, origin: batch.origin });
    }
    for (let row = 0; row < count; row++) this.ends[at + row] = batch.endOf(row);
    let invalid = 0;
    for (let row = 0; row < count; row++) if (batch.status[row] === 0) (this.objects ??= [])[at + row] = batch.invalid[invalid++];
    this.copyText(batch, at, count);
    this.tail += count;
  }

  /** One row given as an object (a source without a batch view). */
  pushLine(line: ParsedLine, moveAllowed: boolean): void {
    this.makeRoom(1, moveAllowed);
    const at = this.tail++;
    (this.objects ??= [])[at] = line;
    this.textStart[at] = this.textEnd[at] = this.arenaEnd;
    this.ends[at] = NaN;
    if (line.type === 'invalid') {
      this.status[at] = 0;
      return;
    }
    let own = this.own;
    // Own dictionaries when none yet, when full, or when rows of a batch came since (their run is another).
    if (
      own === undefined ||
      own.hostNames.length >= MAX_OWN_NAMES ||
      own.sectionNames.length >= MAX_OWN_NAMES ||
      this.runs[this.runs.length - 1]?.hostDict !== own.hostNames
    )
      own = this.newOwnDicts(at);
    this.times[at] = line.time;
    this.status[at] = line.status;
    this.bytes[at] = line.bytes;
    this.hostIds[at] = idIn(own.hosts, own.hostNames, line.host);
    this.sectionIds[at] = idIn(own.sections, own.sectionNames, line.section);
  }

  /**
   * Forgets the rows before the head (their objects too): an emptied queue gives its columns back
   * (kept only when grown past the initial size: a busy source), one left with a few rows keeps
   * them in columns of their size (when `mayShrink`: no row of it is being read).
   */
  dropConsumed(mayShrink = true): void {
    if (this.head === this.tail) {
      this.head = this.tail = this.arenaEnd = 0;
      this.objects = undefined;
      const last = this.runs[this.runs.length - 1];
      this.runs = last === undefined ? NO_RUNS : [last.start === 0 ? last : { ...last, start: 0 }];
      this.run = 0;
      this.giveColumns();
    } else if (mayShrink && this.head > 0 && this.size <= FEW_ROWS && this.times.length > FEW_ROWS && this.times.length <= INITIAL_ROWS) {
      this.shrink();
    }
  }

  /** Typed-array slots it holds (for specs: memory per source). */
  get slots(): number {
    return this.times.length + this.arena.length;
  }

  /** Gives its columns back (kept for another queue while there is room among the spares, else left to the collector). */
  private giveColumns(): void {
    const initial = this.times.length === INITIAL_ROWS && this.arena.length === INITIAL_ARENA;
    if (!initial && this.times.length > INITIAL_ROWS) return;
    const { times, status, bytes, hostIds, sectionIds, ends, textStart, textEnd, arena } = this;
    if (initial && spareColumns.length < MAX_SPARE_COLUMNS)
      spareColumns.push({ times, status, bytes, hostIds, sectionIds, ends, textStart, textEnd, arena });
    this.times = this.bytes = this.ends = NO_ROWS;
    this.status = NO_STATUS;
    this.hostIds = this.sectionIds = this.textStart = this.textEnd = NO_IDS;
    this.arena = NO_TEXT;
  }

  /** Columns of the initial size: spare ones, or new. */
  private takeColumns(): void {
    this.setColumns(spareColumns.pop() ?? newColumns(INITIAL_ROWS, INITIAL_ARENA));
  }

  private setColumns(c: Columns): void {
    this.times = c.times;
    this.status = c.status;
    this.bytes = c.bytes;
    this.hostIds = c.hostIds;
    this.sectionIds = c.sectionIds;
    this.ends = c.ends;
    this.textStart = c.textStart;
    this.textEnd = c.textEnd;
    this.arena = c.arena;
  }

  private newOwnDicts(at: number): OwnDicts {
    const own: OwnDicts = { hosts: new Map(), sections: new Map(), hostNames: [], sectionNames: [] };
    this.own = own;
    this.addRun({ start: at, hostDict: own.hostNames, sectionDict: own.sectionNames, parse: undefined, origin: undefined });
    return own;
  }

  private addRun(run: DictRun): void {
    if (this.runs === NO_RUNS) this.runs = [run];
    else this.runs.push(run);
  }

  /** Its few live rows (`FEW_ROWS`) moved to the front of columns and an arena of their size. */
  private shrink(): void {
    const { head, tail } = this;
    const n = tail - head;
    let from = this.arenaEnd;
    for (let row = head; row < tail; row++) if ((this.textStart[row] as number) < from) from = this.textStart[row] as number;
    const old = this.columns();
    this.setColumns(newColumns(n, this.arenaEnd - from));
    this.times.set(old.times.subarray(head, tail));
    this.status.set(old.status.subarray(head, tail));
    this.bytes.set(old.bytes.subarray(head, tail));
    this.hostIds.set(old.hostIds.subarray(head, tail));
    this.sectionIds.set(old.sectionIds.subarray(head, tail));
    this.ends.set(old.ends.subarray(head, tail));
    old.arena.copy(this.arena, 0, from, this.arenaEnd);
    for (let row = 0; row < n; row++) {
      this.textStart[row] = (old.textStart[head + row] as number) - from;
      this.textEnd[row] = (old.textEnd[head + row] as number) - from;
    }
    this.arenaEnd -= from;
    this.rebase(head, n);
  }

  private columns(): Columns {
    const { times, status, bytes, hostIds, sectionIds, ends, textStart, textEnd, arena } = this;
    return { times, status, bytes, hostIds, sectionIds, ends, textStart, textEnd, arena };
  }

  /** Rows from `head` on are now from 0 on (`n` of them): objects and runs follow. */
  private rebase(head: number, n: number): void {
    if (this.objects !== undefined) {
      this.objects = this.objects.slice(head, head + n);
      this.objects.length = n;
    }
    const current = this.runAt(head);
    const later = this.runs.slice(this.run + 1).map((r) => ({ ...r, start: r.start - head }));
    this.runs = [{ ...current, start: 0 }, ...later];
    this.run = 0;
    this.head = 0;
    this.tail = n;
  }

  private copyText(batch: RecordBatch, at: number, count: number): void {
    const lines = batch.lines;
    if (lines === undefined) {
      for (let row = 0; row < count; row++) {
        const text = batch.status[row] === 0 ? '' : batch.textOf(row);
        this.ensureArena(Buffer.byteLength(text));
        this.textStart[at + row] = this.arenaEnd;
        this.arenaEnd += this.arena.write(text, this.arenaEnd);
        this.textEnd[at + row] = this.arenaEnd;
      }
      return;
    }
    const { chunk, rowLine } = lines;
    const { starts, ends } = chunk;
    let lo = Infinity;
    let hi = -Infinity;
    for (let row = 0; row < count; row++) {
      const line = rowLine[row] as number;
      if ((starts[line] as number) < lo) lo = starts[line] as number;
      if ((ends[line] as number) > hi) hi = ends[line] as number;
    }
    this.ensureArena(hi - lo);
    const shift = this.arenaEnd - lo;
    chunk.bytes.copy(this.arena, this.arenaEnd, lo, hi);
    for (let row = 0; row < count; row++) {
      const line = rowLine[row] as number;
      this.textStart[at + row] = (starts[line] as number) + shift;
      this.textEnd[at + row] = (ends[line] as number) + shift;
    }
    this.arenaEnd += hi - lo;
  }

  private ensureArena(more: number): void {
    if (this.arenaEnd + more <= this.arena.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaEnd + more));
    this.arena.copy(grown, 0, 0, this.arenaEnd);
    this.arena = grown;
  }

  /** Room for `count` more rows: moves the live rows to the front when allowed and worth it, else grows. */
  private makeRoom(count: number, moveAllowed: boolean): void {
    if (moveAllowed && this.head > 0 && this.head >= this.size) this.compact();
    if (this.times.length === 0) this.takeColumns();
    const need = this.tail + count;
    if (need <= this.times.length) return;
    let length = this.times.length * 2;
    while (length < need) length *= 2;
    this.times = grow(this.times, new Float64Array(length));
    this.status = grow(this.status, new Uint16Array(length));
    this.bytes = grow(this.bytes, new Float64Array(length));
    this.hostIds = grow(this.hostIds, new Int32Array(length));
    this.sectionIds = grow(this.sectionIds, new Int32Array(length));
    this.ends = grow(this.ends, new Float64Array(length));
    this.textStart = grow(this.textStart, new Int32Array(length));
    this.textEnd = grow(this.textEnd, new Int32Array(length));
  }

  private compact(): void {
    const { head, tail } = this;
    const n = tail - head;
    for (const column of [this.times, this.status, this.bytes, this.hostIds, this.sectionIds, this.ends, this.textStart, this.textEnd])
      column.copyWithin(0, head, tail);
    let from = this.arenaEnd;
    for (let row = 0; row < n; row++) if ((this.textStart[row] as number) < from) from = this.textStart[row] as number;
    this.arena.copy(this.arena, 0, from, this.arenaEnd);
    this.arenaEnd -= from;
    for (let row = 0; row < n; row++) {
      this.textStart[row] = (this.textStart[row] as number) - from;
      this.textEnd[row] = (this.textEnd[row] as number) - from;
    }
    this.rebase(head, n);
  }
}

/** Columns of `rows` rows and an arena of `arenaBytes` as views of one buffer: one allocation per queue, not nine. */
function newColumns(rows: number, arenaBytes: number): Columns {
  // Status last: the views before it stay aligned to 8 bytes, whatever the rows.
  const buffer = new ArrayBuffer(rows * (3 * 8 + 4 * 4 + 2) + arenaBytes);
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at += bytes * rows;
    return start;
  };
  return {
    times: new Float64Array(buffer, take(8), rows),
    bytes: new Float64Array(buffer, take(8), rows),
    ends: new Float64Array(buffer, take(8), rows),
    hostIds: new Int32Array(buffer, take(4), rows),
    sectionIds: new Int32Array(buffer, take(4), rows),
    textStart: new Int32Array(buffer, take(4), rows),
    textEnd: new Int32Array(buffer, take(4), rows),
    status: new Uint16Array(buffer, take(2), rows),
    arena: Buffer.from(buffer, at, arenaBytes),
  };
}

/** Names to ids for rows given as objects, and the names by id. */
interface OwnDicts {
  readonly hosts: Map<string, number>;
  readonly sections: Map<string, number>;
  readonly hostNames: string[];
  readonly sectionNames: string[];
}

function grow<A extends Float64Array | Int32Array | Uint16Array>(from: A, to: A): A {
  to.set(from as never);
  return to;
}

/** The id of `name` in a growing dictionary (`names`, indexed by `ids`), added when new. */
export function idIn(ids: Map<string, number>, names: string[], name: string): number {
  let id = ids.get(name);
  if (id === undefined) {
    id = names.length;
    names.push(name);
    ids.set(name, id);
  }
  return id;
}
