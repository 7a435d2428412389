/**
 * Lines as byte ranges: what sources hand to `parseAccessLog` in their batch view (see
 * src/core/batches.ts). `ChunkSplitter` cuts a stream of byte chunks into them on `\n`
 * without copying: a line inside a chunk is a range of the chunk; only a line cut by a chunk
 * boundary is copied, into a carry buffer that never holds more than `maxLineBytes + 2`
 * bytes (a longer line is overlong whatever it holds, so the rest of it is only counted).
 *
 * The lines are those of `splitChunk` (src/source/lineSplitter.ts): one trailing `\r`
 * stripped, a line longer than `maxLineBytes` flagged overlong (read as `OVERLONG_LINE`).
 */
import { DEFAULT_MAX_LINE_BYTES } from './lineSplitter.js';
import { OVERLONG_LINE } from './overlong.js';

const NL = 0x0a;
const CR = 0x0d;
/** Lines per chunk, at most: batches stay small enough to emit within milliseconds. */
export const CHUNK_LINES = 4096;

export class LineChunk {
  /** The bytes the ranges point into (lent: valid during the `next` call only). */
  bytes: Buffer = Buffer.alloc(0);
  count = 0;
  /** Line i is `bytes[starts[i], ends[i])`, without its `\n` and one trailing `\r`. */
  readonly starts = new Int32Array(CHUNK_LINES);
  readonly ends = new Int32Array(CHUNK_LINES);
  /** 1 when line i is longer than maxLineBytes (its range is then empty). */
  readonly overlong = new Uint8Array(CHUNK_LINES);
  /** Offset in the input just after line i's newline (or its end, for a last line without one). */
  readonly offsets = new Float64Array(CHUNK_LINES);

  /** Line i as a string, as `readLines` gives it (an overlong line as `OVERLONG_LINE`). */
  text(i: number): string {
    return this.overlong[i] === 1 ? OVERLONG_LINE : this.bytes.toString('utf8', this.starts[i] as number, this.ends[i] as number);
  }
}

/** Lines [from, to) of `view` as the chunk `target` (sharing its bytes). */
export function linesOf(view: LineChunk, from: number, to: number, target: LineChunk): LineChunk {
  target.bytes = view.bytes;
  target.count = to - from;
  target.starts.set(view.starts.subarray(from, to));
  target.ends.set(view.ends.subarray(from, to));
  target.overlong.set(view.overlong.subarray(from, to));
  target.offsets.set(view.offsets.subarray(from, to));
  return target;
}

export class ChunkSplitter {
  private readonly chunk = new LineChunk();
  private readonly carryChunk = new LineChunk();
  private readonly carry: Buffer;
  /** Bytes of the unterminated line so far (kept: at most carry.length). */
  private carried = 0;
  /** Input offset of the next byte pushed. */
  private offset: number;

  constructor(
    private readonly emit: (chunk: LineChunk) => void,
    offset = 0,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {
    this.offset = offset;
    this.carry = Buffer.allocUnsafe(maxLineBytes + 2);
    this.carryChunk.bytes = this.carry;
  }

  /** Input offset just after the last complete line. */
  get lineOffset(): number {
    return this.offset - this.carried;
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
      this.endCarried(base + nl + 1);
      p = nl + 1;
    }
    const chunk = this.chunk;
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
      if (++chunk.count === CHUNK_LINES) {
        this.emit(chunk);
        chunk.count = 0;
      }
    }
    if (chunk.count > 0) this.emit(chunk);
    if (p < length) this.keep(bytes, p, length);
  }

  /** End of input: a last line without `\n`. */
  end(): void {
    if (this.carried > 0) this.endCarried(this.offset);
  }

  private endCarried(offset: number): void {
    const carried = this.carried;
    this.carried = 0;
    const chunk = this.carryChunk;
    let end = Math.min(carried, this.carry.length);
    if (end > 0 && this.carry[end - 1] === CR && carried <= this.carry.length) end--;
    chunk.count = 1;
    chunk.starts[0] = 0;
    chunk.offsets[0] = offset;
    if (carried > this.carry.length || end > this.maxLineBytes) {
      chunk.overlong[0] = 1;
      chunk.ends[0] = 0;
    } else {
      chunk.overlong[0] = 0;
      chunk.ends[0] = end;
    }
    this.emit(chunk);
  }

  private keep(bytes: Buffer, from: number, to: number): void {
    const room = this.carry.length - this.carried;
    if (room > 0) bytes.copy(this.carry, this.carried, from, Math.min(to, from + room));
    this.carried += to - from;
  }
}
