/**
 * The lines of a segment (`parseProtocol.ts`), cut on the main thread by the one splitter as a
 * worker would cut them, into one buffer that goes to the worker and comes back with its rows:
 * per line the input offset after it (Float64), its range in the segment's bytes (Int32 start
 * and end) and its overlong flag (Uint8), and the lines of each chunk the splitter made. The
 * worker only parses; the main thread keeps what the rows' texts and offsets need.
 */
import { ChunkSplitter, type LineChunk } from '../../source/lineChunk.js';

/** The views of a lines buffer of `count` lines. */
export interface LineColumns {
  readonly offsets: Float64Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly overlong: Uint8Array;
}

/** Bytes of a lines buffer of `count` lines. */
export const lineBytes = (count: number): number => 17 * count;

export function lineColumns(buffer: ArrayBuffer, count: number): LineColumns {
  return {
    offsets: new Float64Array(buffer, 0, count),
    starts: new Int32Array(buffer, 8 * count, count),
    ends: new Int32Array(buffer, 12 * count, count),
    overlong: new Uint8Array(buffer, 16 * count, count),
  };
}

export class SegmentLines {
  /** Lines of the segment last cut. */
  count = 0;
  /** Lines of each chunk of it. */
  chunkLines: number[] = [];
  private starts = new Int32Array(8192);
  private ends = new Int32Array(8192);
  private overlong = new Uint8Array(8192);
  private offsets = new Float64Array(8192);
  private readonly splitter: ChunkSplitter;
  private segment: Buffer = Buffer.alloc(0);

  constructor(maxLineBytes: number) {
    this.splitter = new ChunkSplitter((chunk) => this.onChunk(chunk), 0, maxLineBytes);
  }

  /**
   * Cuts `segment` (whole lines from input offset `base`, but that its first `headLength` bytes
   * may be the kept head of a line whose next `skipped` bytes were left out, and that the last
   * one may end without a newline) and writes its lines to `into` (or a new buffer, when it is
   * too small); returns the buffer.
   */
  cut(segment: Buffer, base: number, headLength: number, skipped: number, last: boolean, into: ArrayBuffer | undefined): ArrayBuffer {
    const splitter = this.splitter;
    this.segment = segment;
    this.count = 0;
    this.chunkLines = [];
    splitter.reset(base);
    if (skipped > 0) {
      splitter.push(segment.subarray(0, headLength));
      splitter.skipInLine(skipped);
      splitter.push(segment.subarray(headLength));
    } else splitter.push(segment);
    if (last) splitter.end();
    const n = this.count;
    const buffer = into !== undefined && into.byteLength >= lineBytes(n) ? into : new ArrayBuffer(Math.ceil(lineBytes(n) * 1.25));
    const columns = lineColumns(buffer, n);
    columns.offsets.set(this.offsets.subarray(0, n));
    columns.starts.set(this.starts.subarray(0, n));
    columns.ends.set(this.ends.subarray(0, n));
    columns.overlong.set(this.overlong.subarray(0, n));
    return buffer;
  }

  private onChunk(chunk: LineChunk): void {
    const n = chunk.count;
    const at = this.count;
    if (at + n > this.starts.length) this.grow(at + n);
    // Ranges in the segment's bytes: a chunk of the segment is a view at some offset of it; the
    // splitter's own carry only ever holds an overlong line (empty range) or a last segment that
    // is one unterminated line (the carry then holds the segment from its start).
    const segment = this.segment;
    const shift = chunk.bytes.buffer === segment.buffer ? chunk.bytes.byteOffset - segment.byteOffset : 0;
    for (let i = 0; i < n; i++) {
      this.starts[at + i] = (chunk.starts[i] as number) + shift;
      this.ends[at + i] = (chunk.ends[i] as number) + shift;
    }
    this.overlong.set(chunk.overlong.subarray(0, n), at);
    this.offsets.set(chunk.offsets.subarray(0, n), at);
    this.count += n;
    this.chunkLines.push(n);
  }

  private grow(lines: number): void {
    const n = Math.max(this.starts.length * 2, lines);
    const wider = <T extends Int32Array | Uint8Array | Float64Array>(old: T, next: T): T => {
      next.set(old as never);
      return next;
    };
    this.starts = wider(this.starts, new Int32Array(n));
    this.ends = wider(this.ends, new Int32Array(n));
    this.overlong = wider(this.overlong, new Uint8Array(n));
    this.offsets = wider(this.offsets, new Float64Array(n));
  }
}
