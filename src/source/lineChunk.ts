/**
 * Lines as byte ranges: what every source hands on (strings come from `LineChunk.text`).
 * `ChunkSplitter`, the one line splitter, cuts a stream
 * of byte chunks into them on `\n` without copying: a line inside a chunk is a range of the
 * chunk; only a line cut by a chunk boundary is copied, into a carry buffer that never holds
 * more than `maxLineBytes + 2` bytes (a longer line is overlong whatever it holds, so the rest
 * of it is only counted).
 *
 * The lines: a line ends at `\n`, one trailing `\r` is stripped; a line of more than
 * `maxLineBytes` bytes (not counting `\r\n`) is flagged overlong (its range empty, its text
 * `OVERLONG_LINE`); an unterminated last line is a line at end of input; each line's offset
 * is the input offset just after its newline.
 */
import { OVERLONG_LINE } from './overlong.js';

const NL = 0x0a;
const EMPTY = Buffer.alloc(0);
const CR = 0x0d;
/** Longer lines are flagged overlong, unless a source is told otherwise. */
export const DEFAULT_MAX_LINE_BYTES = 65536;
/** Lines per chunk, at most: batches stay small enough to emit within milliseconds. */
export const CHUNK_LINES = 4096;

/**
 * Lines as byte ranges of the buffer just read: what the sources give (`readLogFile`,
 * `readLogStream`, follow mode) and `parseAccessLog` takes. Lent: valid during the `next` call
 * that delivers it; `text(i)` makes line i a string, `toLines()` every line.
 */
export class LineChunk {
  /** The bytes the ranges point into (lent: valid during the `next` call only). */
  bytes: Buffer = Buffer.alloc(0);
  /** Lines in the chunk. */
  count = 0;
  /** Line i is `bytes[starts[i], ends[i])`, without its `\n` and one trailing `\r`. */
  starts: Int32Array;
  /** Where line i ends in `bytes` (see `starts`). */
  ends: Int32Array;
  /** 1 when line i is longer than maxLineBytes (its range is then empty). */
  overlong: Uint8Array;
  /** Offset in the input just after line i's newline (or its end, for a last line without one). */
  offsets: Float64Array;

  /** @param capacity lines it holds at first; `grow` doubles that, up to CHUNK_LINES. */
  constructor(capacity = CHUNK_LINES) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.overlong = new Uint8Array(capacity);
    this.offsets = new Float64Array(capacity);
  }

  /** Lines it can hold. */
  get capacity(): number {
    return this.starts.length;
  }

  /** Doubles the capacity (at most CHUNK_LINES), keeping the lines. */
  grow(): void {
    const length = Math.min(CHUNK_LINES, this.starts.length * 2);
    const widen = <T extends Int32Array | Uint8Array | Float64Array>(old: T, wider: T): T => {
      wider.set(old);
      return wider;
    };
    this.starts = widen(this.starts, new Int32Array(length));
    this.ends = widen(this.ends, new Int32Array(length));
    this.overlong = widen(this.overlong, new Uint8Array(length));
    this.offsets = widen(this.offsets, new Float64Array(length));
  }

  /** Line i as a string, decoded as UTF-8 (an overlong line as `OVERLONG_LINE`). */
  text(i: number): string {
    return this.overlong[i] === 1 ? OVERLONG_LINE : this.bytes.toString('utf8', this.starts[i] as number, this.ends[i] as number);
  }
}

/** Lines [from, to) of `view` as the chunk `target` (sharing its bytes). */
export function linesOf(view: LineChunk, from: number, to: number, target: LineChunk): LineChunk {
  while (target.capacity < to - from) target.grow();
  target.bytes = view.bytes;
  target.count = to - from;
  target.starts.set(view.starts.subarray(from, to));
  target.ends.set(view.ends.subarray(from, to));
  target.overlong.set(view.overlong.subarray(from, to));
  target.offsets.set(view.offsets.subarray(from, to));
  return target;
}

/** Receives each chunk of lines (lent: valid during the call only) and the input offset where its first line starts. */
export type EmitLines = (chunk: LineChunk, start: number) => void;

/**
 * The chunks splitters emit, shared: a chunk is lent during its emit call only, so a splitter
 * takes one for a push and gives it back after (a push within an emit takes another), and ten
 * thousand followed files hold a few chunks between them, not two each.
 */
const spareChunks: LineChunk[] = [];

function takeChunk(): LineChunk {
  return spareChunks.pop() ?? new LineChunk(64);
}

export class ChunkSplitter {
  /** Holds the unterminated line: allocated when a line is first carried, grown as needed up to `carryLimit`. */
  private carry: Buffer = EMPTY;
  /** The most the carry holds: `maxLineBytes + 2` (a longer line is overlong, its rest only counted). */
  private readonly carryLimit: number;
  /** Bytes of the unterminated line so far (kept: at most carryLimit). */
  private carried = 0;
  /** Input offset of the next byte pushed. */
  private offset: number;

  /**
   * @param emit Where the lines go; may be pointed elsewhere between pushes (the tailer
   *   points it at the file being read, for the positions it attaches).
   * @param offset Input offset of the first byte pushed.
   * @param maxLineBytes Longer lines are flagged overlong.
   */
  constructor(
    public emit: EmitLines,
    offset = 0,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.offset = offset;
    this.carryLimit = maxLineBytes + 2;
  }

  /** Input offset just after the last complete line (where a resumed reader starts). */
  get lineOffset(): number {
    return this.offset - this.carried;
  }

  /** Input offset of the next byte to push (after the held unterminated line). */
  get readOffset(): number {
    return this.offset;
  }

  /** Starts over at input offset `offset`, dropping the held unterminated line. */
  reset(offset: number): void {
    this.offset = offset;
    this.carried = 0;
  }

  /** The next bytes of the input; `bytes` may be reused by the caller once this returns. */
  push(bytes: Buffer): void {
    const length = bytes.length;
    const base = this.offset;
    this.offset += length;
    let p = 0;
    if (this.carried > 0) {
      const nl = bytes.indexOf(NL);
      if (nl < 0) {
        this.keep(bytes, 0, length);
        return;
      }
      this.keep(bytes, 0, nl);
      this.endCarried(base - this.carried + nl, base + nl + 1);
      p = nl + 1;
    }
    const chunk = takeChunk();
    try {
      this.split(bytes, p, base, chunk);
    } finally {
      spareChunks.push(chunk);
    }
  }

  /** Emits the lines of `bytes` from `p` on (the input offset of `bytes[0]` is `base`) through `chunk`. */
  private split(bytes: Buffer, from: number, base: number, chunk: LineChunk): void {
    const length = bytes.length;
    let p = from;
    chunk.bytes = bytes;
    chunk.count = 0;
    const max = this.maxLineBytes;
    for (;;) {
      const nl = bytes.indexOf(NL, p);
      if (nl < 0) break;
      const i = chunk.count;
      let end = nl;
      if (end > p && bytes[end - 1] === CR) end--;
      if (end - p > max) {
        chunk.overlong[i] = 1;
        chunk.starts[i] = p;
        chunk.ends[i] = p;
      } else {
        chunk.overlong[i] = 0;
        chunk.starts[i] = p;
        chunk.ends[i] = end;
      }
      chunk.offsets[i] = base + nl + 1;
      p = nl + 1;
      if (++chunk.count === chunk.capacity) {
        if (chunk.capacity < CHUNK_LINES) chunk.grow();
        else {
          this.emit(chunk, base + (chunk.starts[0] as number));
          chunk.count = 0;
        }
      }
    }
    if (chunk.count > 0) this.emit(chunk, base + (chunk.starts[0] as number));
    if (p < length) this.keep(bytes, p, length);
  }

  /**
   * `bytes` more bytes of the held unterminated line, not given: a source that keeps only the
   * first `maxLineBytes + 2` bytes of a line (the rest of an overlong line is only counted)
   * says how many it left out. Only inside a line (after a push that ended without `\n`).
   */
  skipInLine(bytes: number): void {
    this.offset += bytes;
    this.carried += bytes;
  }

  /** End of input: a last line without `\n`. */
  end(): void {
    if (this.carried > 0) this.endCarried(this.offset - this.carried, this.offset);
  }

  /** Emits the held line, which starts at input offset `start` and ends (its newline included) at `offset`. */
  private endCarried(start: number, offset: number): void {
    const carried = this.carried;
    this.carried = 0;
    const chunk = takeChunk();
    try {
      this.emitCarried(chunk, carried, start, offset);
    } finally {
      spareChunks.push(chunk);
    }
  }

  private emitCarried(chunk: LineChunk, carried: number, start: number, offset: number): void {
    let end = Math.min(carried, this.carryLimit);
    if (end > 0 && this.carry[end - 1] === CR && carried <= this.carryLimit) end--;
    chunk.bytes = this.carry;
    chunk.count = 1;
    chunk.starts[0] = 0;
    chunk.offsets[0] = offset;
    if (carried > this.carryLimit || end > this.maxLineBytes) {
      chunk.overlong[0] = 1;
      chunk.ends[0] = 0;
    } else {
      chunk.overlong[0] = 0;
      chunk.ends[0] = end;
    }
    this.emit(chunk, start);
  }

  private keep(bytes: Buffer, from: number, to: number): void {
    const kept = Math.min(this.carried + to - from, this.carryLimit);
    if (kept > this.carry.length) this.growCarry(kept);
    const room = kept - this.carried;
    if (room > 0) bytes.copy(this.carry, this.carried, from, from + room);
    this.carried += to - from;
  }

  /** A carry of at least `bytes` (doubling, from 256, up to `carryLimit`), keeping what it holds. */
  private growCarry(bytes: number): void {
    let length = Math.max(256, this.carry.length);
    while (length < bytes) length *= 2;
    const wider = Buffer.allocUnsafe(Math.min(length, this.carryLimit));
    this.carry.copy(wider, 0, 0, Math.min(this.carried, this.carry.length));
    this.carry = wider;
  }
}
