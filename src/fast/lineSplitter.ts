/**
 * Splits a stream of byte chunks into lines on `\n` without copying them: a line inside a
 * chunk is handed over as a range of the chunk; only a line cut by a chunk boundary is
 * copied, into a carry buffer. The carry never holds more than MAX_LINE_BYTES + 2 bytes: a
 * longer line is invalid whatever it holds, so the rest of it is only counted.
 */
import { MAX_LINE_BYTES, type LineSink } from './lineSink.js';

const NEWLINE = 0x0a;
/** Enough to decide a line: MAX_LINE_BYTES, a `\r`, and one more byte. */
export const CARRY = MAX_LINE_BYTES + 2;

export class ByteLineSplitter {
  private readonly carry = Buffer.allocUnsafe(CARRY);
  /** Bytes of the unterminated line so far (kept: at most CARRY). */
  private carried = 0;

  constructor(private readonly sink: LineSink) {}

  /** Bytes of the unterminated line so far (more than CARRY: it is overlong). */
  get pending(): number {
    return this.carried;
  }

  /** The next bytes of the input; `chunk` may be reused by the caller afterwards. */
  push(chunk: Buffer): void {
    const sink = this.sink;
    const length = chunk.length;
    let p = 0;
    if (this.carried > 0) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl < 0) {
        this.keep(chunk, 0, length);
        return;
      }
      this.keep(chunk, 0, nl);
      this.endCarried();
      p = nl + 1;
    }
    while (!sink.stopped) {
      const nl = chunk.indexOf(NEWLINE, p);
      if (nl < 0) {
        if (p < length) this.keep(chunk, p, length);
        return;
      }
      sink.line(chunk, p, nl);
      p = nl + 1;
    }
  }

  /** End of input: a last line without `\n`. */
  end(): void {
    if (this.carried > 0 && !this.sink.stopped) this.endCarried();
  }

  private endCarried(): void {
    const carried = this.carried;
    this.carried = 0;
    if (carried > CARRY) this.sink.overlongLine();
    else this.sink.line(this.carry, 0, carried);
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    const room = CARRY - this.carried;
    if (room > 0) chunk.copy(this.carry, this.carried, from, Math.min(to, from + room));
    this.carried += to - from;
  }
}
