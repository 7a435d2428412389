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

/**
 * A queue's columns, one block of `cap` doubles each in one Float64Array (`COLUMNS` of them: a
 * queue holding a row or two is two typed arrays, not nine), and its text arena.
 */
interface Columns {
  readonly cols: Float64Array;
  readonly cap: number;
  readonly arena: Buffer;
}

/** The columns' blocks in `cols`: column c of row r is `cols[c * cap + r]`. */
const TIME = 0;
const STATUS = 1;
const BYTES = 2;
const HOST = 3;
const SECTION = 4;
/** Where each row's line ends in its input (`RecordBatch.endOf`). */
const END = 5;
const TEXT_START = 6;
const TEXT_END = 7;
const COLUMNS = 8;

/**
 * Columns of queues that emptied, for the next queue that gets rows: a queue holds columns
 * only while it holds rows (or grew past the initial size), so a merge of ten thousand quiet
 * files holds a few sets between them, not one each.
 */
const spareColumns: Columns[] = [];
const MAX_SPARE_COLUMNS = 64;
const NO_ROWS = new Float64Array(0);
const NO_TEXT = Buffer.alloc(0);
const NO_RUNS: DictRun[] = [];

export class RowQueue {
  head = 0;
  tail = 0;
  /** Its columns (`TIME`, `STATUS`...), `cap` rows each. */
  private cols: Float64Array = NO_ROWS;
  private cap = 0;
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
    const cols = this.cols;
    return cols[STATUS * this.cap + row] === 0 ? -Infinity : (cols[row] as number);
  }

  /** Row `row`'s status, 0 for an invalid line. */
  statusOf(row: number): number {
    return this.cols[STATUS * this.cap + row] as number;
  }

  timeOf(row: number): number {
    return this.cols[row] as number;
  }

  bytesOf(row: number): number {
    return this.cols[BYTES * this.cap + row] as number;
  }

  hostIdOf(row: number): number {
    return this.cols[HOST * this.cap + row] as number;
  }

  sectionIdOf(row: number): number {
    return this.cols[SECTION * this.cap + row] as number;
  }

  /** Where row `row`'s line ends in its input (`RecordBatch.endOf`). */
  endOf(row: number): number {
    return this.cols[END * this.cap + row] as number;
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
    const { cols, cap } = this;
    return this.arena.toString('utf8', cols[TEXT_START * cap + row] as number, cols[TEXT_END * cap + row] as number);
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
    const { cols, cap } = this;
    cols.set(batch.times.subarray(0, count), TIME * cap + at);
    cols.set(batch.status.subarray(0, count), STATUS * cap + at);
    cols.set(batch.bytes.subarray(0, count), BYTES * cap + at);
    cols.set(batch.hostIds.subarray(0, count), HOST * cap + at);
    cols.set(batch.sectionIds.subarray(0, count), SECTION * cap + at);
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
    for (let row = 0; row < count; row++) cols[END * cap + at + row] = batch.endOf(row);
    let invalid = 0;
    for (let row = 0; row < count; row++) if (batch.status[row] === 0) (this.objects ??= [])[at + row] = batch.invalid[invalid++];
    this.copyText(batch, at, count);
    this.tail += count;
  }

  /** One row given as an object (a source without a batch view). */
  pushLine(line: ParsedLine, moveAllowed: boolean): void {
    this.makeRoom(1, moveAllowed);
    const at = this.tail++;
    const { cols, cap } = this;
    (this.objects ??= [])[at] = line;
    cols[TEXT_START * cap + at] = cols[TEXT_END * cap + at] = this.arenaEnd;
    cols[END * cap + at] = NaN;
    if (line.type === 'invalid') {
      cols[STATUS * cap + at] = 0;
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
    cols[TIME * cap + at] = line.time;
    cols[STATUS * cap + at] = line.status;
    cols[BYTES * cap + at] = line.bytes;
    cols[HOST * cap + at] = idIn(own.hosts, own.hostNames, line.host);
    cols[SECTION * cap + at] = idIn(own.sections, own.sectionNames, line.section);
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
    } else if (mayShrink && this.head > 0 && this.size <= FEW_ROWS && this.cap > FEW_ROWS && this.cap <= INITIAL_ROWS) {
      this.shrink();
    }
  }

  /** Typed-array slots it holds (for specs: memory per source). */
  get slots(): number {
    return this.cap + this.arena.length;
  }

  /** Gives its columns back (kept for another queue while there is room among the spares, else left to the collector). */
  private giveColumns(): void {
    const initial = this.cap === INITIAL_ROWS && this.arena.length === INITIAL_ARENA;
    if (!initial && this.cap > INITIAL_ROWS) return;
    if (initial && spareColumns.length < MAX_SPARE_COLUMNS) spareColumns.push(this.columns());
    this.setColumns({ cols: NO_ROWS, cap: 0, arena: NO_TEXT });
  }

  /** Columns of the initial size: spare ones, or new. */
  private takeColumns(): void {
    this.setColumns(spareColumns.pop() ?? newColumns(INITIAL_ROWS, INITIAL_ARENA));
  }

  private setColumns(c: Columns): void {
    this.cols = c.cols;
    this.cap = c.cap;
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
    const old = this.columns();
    let from = this.arenaEnd;
    for (let row = head; row < tail; row++) from = Math.min(from, old.cols[TEXT_START * old.cap + row] as number);
    this.setColumns(newColumns(n, this.arenaEnd - from));
    const cols = this.cols;
    for (let c = 0; c < COLUMNS; c++) cols.set(old.cols.subarray(c * old.cap + head, c * old.cap + tail), c * n);
    for (let row = 0; row < n; row++) {
      cols[TEXT_START * n + row] = (cols[TEXT_START * n + row] as number) - from;
      cols[TEXT_END * n + row] = (cols[TEXT_END * n + row] as number) - from;
    }
    old.arena.copy(this.arena, 0, from, this.arenaEnd);
    this.arenaEnd -= from;
    this.rebase(head, n);
  }

  private columns(): Columns {
    return { cols: this.cols, cap: this.cap, arena: this.arena };
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
        this.cols[TEXT_START * this.cap + at + row] = this.arenaEnd;
        this.arenaEnd += this.arena.write(text, this.arenaEnd);
        this.cols[TEXT_END * this.cap + at + row] = this.arenaEnd;
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
    const { cols, cap } = this;
    for (let row = 0; row < count; row++) {
      const line = rowLine[row] as number;
      cols[TEXT_START * cap + at + row] = (starts[line] as number) + shift;
      cols[TEXT_END * cap + at + row] = (ends[line] as number) + shift;
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
    if (this.cap === 0) this.takeColumns();
    const need = this.tail + count;
    if (need <= this.cap) return;
    let cap = this.cap * 2;
    while (cap < need) cap *= 2;
    const { cols: old, cap: oldCap } = this;
    const cols = new Float64Array(cap * COLUMNS);
    for (let c = 0; c < COLUMNS; c++) cols.set(old.subarray(c * oldCap, c * oldCap + this.tail), c * cap);
    this.cols = cols;
    this.cap = cap;
  }

  private compact(): void {
    const { head, tail, cols, cap } = this;
    const n = tail - head;
    for (let c = 0; c < COLUMNS; c++) cols.copyWithin(c * cap, c * cap + head, c * cap + tail);
    let from = this.arenaEnd;
    for (let row = 0; row < n; row++) from = Math.min(from, cols[TEXT_START * cap + row] as number);
    this.arena.copy(this.arena, 0, from, this.arenaEnd);
    this.arenaEnd -= from;
    for (let row = 0; row < n; row++) {
      cols[TEXT_START * cap + row] = (cols[TEXT_START * cap + row] as number) - from;
      cols[TEXT_END * cap + row] = (cols[TEXT_END * cap + row] as number) - from;
    }
    this.rebase(head, n);
  }
}

/** Columns of `rows` rows and an arena of `arenaBytes` in one buffer: one allocation per queue. */
function newColumns(rows: number, arenaBytes: number): Columns {
  const buffer = new ArrayBuffer(rows * COLUMNS * 8 + arenaBytes);
  return { cols: new Float64Array(buffer, 0, rows * COLUMNS), cap: rows, arena: Buffer.from(buffer, rows * COLUMNS * 8, arenaBytes) };
}

/** Names to ids for rows given as objects, and the names by id. */
interface OwnDicts {
  readonly hosts: Map<string, number>;
  readonly sections: Map<string, number>;
  readonly hostNames: string[];
  readonly sectionNames: string[];
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
