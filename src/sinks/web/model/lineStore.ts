/** Bytes per block of a {@link LineStore}. */
const BLOCK_BYTES = 64 * 1024;

/**
 * Text lines kept as UTF-8 in blocks of bytes, outside the garbage-collected heap: a few
 * thousand NDJSON lines cost the collector nothing while kept, and nothing when dropped
 * (kept as strings or objects, they would survive young collections and make V8 grow its
 * young generation for good). Pure (TextEncoder and TextDecoder, in Node and in a browser).
 */
export class LineStore {
  private readonly blocks: Uint8Array[] = [];
  /** Per line: its block, its start and its end in that block. */
  private readonly index: number[] = [];
  private used = BLOCK_BYTES;
  private readonly encoder = new TextEncoder();

  /** Appends a line. */
  push(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const room = line.length * 3;
    if (this.used + room > (this.blocks.at(-1)?.length ?? 0)) {
      this.blocks.push(new Uint8Array(Math.max(BLOCK_BYTES, room)));
      this.used = 0;
    }
    const block = this.blocks[this.blocks.length - 1] as Uint8Array;
    const { written } = this.encoder.encodeInto(line, block.subarray(this.used));
    this.index.push(this.blocks.length - 1, this.used, this.used + written);
    this.used += written;
  }

  /** Lines kept. */
  get length(): number {
    return this.index.length / 3;
  }

  /** Every line, in order. */
  lines(): string[] {
    const decoder = new TextDecoder();
    const out: string[] = [];
    for (let i = 0; i < this.index.length; i += 3) {
      const block = this.blocks[this.index[i] as number] as Uint8Array;
      out.push(decoder.decode(block.subarray(this.index[i + 1] as number, this.index[i + 2] as number)));
    }
    return out;
  }
}
