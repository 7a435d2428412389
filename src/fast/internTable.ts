/**
 * Strings for byte ranges without a string per line: a hash table from bytes to a small id
 * and the string they decode to, verified byte for byte. Lines repeat their hosts and
 * sections, so after the first sight a field costs a hash and a comparison (both a 32-bit
 * word at a time), and every window's Set and Map get the same string object (whose hash V8
 * has already cached). Ids let a worker thread send fields as numbers (see `parseWorker.ts`).
 *
 * Bounded: when full the table forgets everything and starts over (it is only a cache);
 * `generation` counts those restarts, after which ids are given out from the seeds again.
 */

/** Fields longer than this get an id and a string but are not looked up by their bytes. */
export const MAX_KEY = 256;

export class InternTable {
  /** Incremented by every `clear`. */
  generation = 0;
  private readonly mask: number;
  private readonly maxEntries: number;
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  private readonly arena: Uint8Array;
  private readonly arenaView: DataView;
  private names: string[] = [];
  private used = 0;

  /**
   * @param bits log2 of the slot count; at most half the slots are used.
   * @param seeds strings with fixed ids 0, 1, ... in every generation.
   */
  constructor(
    bits: number,
    private readonly seeds: readonly string[] = [],
  ) {
    this.mask = (1 << bits) - 1;
    this.maxEntries = 1 << (bits - 1);
    this.slots = new Int32Array(1 << bits);
    this.hashes = new Int32Array(this.maxEntries);
    this.offsets = new Int32Array(this.maxEntries);
    this.lengths = new Int32Array(this.maxEntries);
    this.arena = new Uint8Array(this.maxEntries * 64);
    this.arenaView = new DataView(this.arena.buffer);
    this.names.push(...seeds);
  }

  /** Number of ids given out in this generation (seeds included). */
  get size(): number {
    return this.names.length;
  }

  /** The strings of the ids from `from` on (current generation). */
  namesFrom(from: number): string[] {
    return this.names.slice(from);
  }

  /** The string of an id of the current generation. */
  nameOf(id: number): string {
    return this.names[id] as string;
  }

  /**
   * The id of the string of `bytes[start, end)`: latin1 when the bytes are ASCII (then
   * identical to UTF-8), else UTF-8 with the WHATWG replacement of bad sequences (what
   * TextDecoder gives). May start a new generation first when the table is full.
   * @param view a DataView over the same memory as `bytes`.
   */
  intern(bytes: Buffer, view: DataView, start: number, end: number): number {
    const length = end - start;
    if (length > MAX_KEY) return this.add(bytes.toString('utf8', start, end));
    let hash = length;
    let bits = 0;
    let k = start;
    for (; k + 4 <= end; k += 4) {
      const word = view.getInt32(k, true);
      bits |= word;
      hash = Math.imul(hash ^ word, 0x85ebca6b);
      hash = (hash << 13) | (hash >>> 19);
    }
    for (; k < end; k++) {
      const byte = bytes[k] as number;
      bits |= byte;
      hash = Math.imul(hash ^ byte, 0x85ebca6b);
      hash = (hash << 13) | (hash >>> 19);
    }
    hash = Math.imul(hash ^ (hash >>> 16), 0xc2b2ae35);
    hash ^= hash >>> 13;
    const slots = this.slots;
    const mask = this.mask;
    let at = hash & mask;
    for (;;) {
      const entry = slots[at] as number;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === hash && this.lengths[id] === length && this.sameBytes(id, bytes, view, start, length)) return id;
      at = (at + 1) & mask;
    }
    const text = bytes.toString((bits & 0x80808080) === 0 ? 'latin1' : 'utf8', start, end);
    if (!this.hasRoom(1, length)) {
      this.clear();
      at = hash & mask;
    }
    const id = this.names.length;
    slots[at] = id + 1;
    this.hashes[id] = hash;
    this.offsets[id] = this.used;
    this.lengths[id] = length;
    this.arena.set(bytes.subarray(start, end), this.used);
    this.used += length;
    this.names.push(text);
    return id;
  }

  /** An id for a string that is not looked up (a one-off, e.g. from the string parser). */
  add(text: string): number {
    if (!this.hasRoom(1, 0)) this.clear();
    const id = this.names.length;
    this.lengths[id] = -1; // never equal to a length: no lookup finds it
    this.names.push(text);
    return id;
  }

  /** Whether `entries` more ids with `bytes` more key bytes fit without a new generation. */
  hasRoom(entries: number, bytes: number): boolean {
    return this.names.length + entries <= this.maxEntries && this.used + bytes <= this.arena.length;
  }

  /** Forgets every entry and starts a new generation. */
  clear(): void {
    this.slots.fill(0);
    this.names = [...this.seeds];
    this.used = 0;
    this.generation++;
  }

  private sameBytes(id: number, bytes: Buffer, view: DataView, start: number, length: number): boolean {
    const arena = this.arenaView;
    const offset = this.offsets[id] as number;
    let k = 0;
    for (; k + 4 <= length; k += 4) if (arena.getInt32(offset + k, true) !== view.getInt32(start + k, true)) return false;
    for (; k < length; k++) if (this.arena[offset + k] !== bytes[start + k]) return false;
    return true;
  }
}
