/**
 * Small integer ids for the strings of hosts and sections, without a string per line.
 *
 * An id stands for one string and a string has one id (in a generation, see below), so that
 * windows can count distinct hosts and hits per section on ids. ASCII fields of up to MAX_KEY
 * bytes are looked up by their bytes (a hash table, verified byte for byte, a 32-bit word at
 * a time): ASCII bytes and their string determine each other. Everything else (non-ASCII
 * bytes, whose decoding can map different bytes to one string; longer fields; strings from
 * the string parser) is looked up by its decoded string.
 *
 * Bounded: when full the table forgets everything and starts a new `generation`, in which ids
 * are handed out again from the seeds. `onClear` runs just before, while the old names are
 * still readable.
 */

/** Longest field looked up by its bytes. */
export const MAX_KEY = 256;

export class InternTable {
  /** Incremented by every `clear`. */
  generation = 0;
  /** Called before a clear (the old ids still name their strings). */
  onClear: (() => void) | undefined;
  private mask: number;
  /** Entries (and, times 64, key bytes) the table may reach before a new generation. */
  private readonly maxEntries: number;
  /**
   * Per slot: id + 1 (0: free), then the id's hash, length and arena offset, so that a probe
   * reads one place besides the key bytes. Allocated small and doubled as entries come, up to
   * twice `maxEntries` slots: a table per file of a glob of thousands costs little.
   */
  private slots: Int32Array;
  /** Per id: hash, length (-1: not looked up by bytes), arena offset; side by side for locality. */
  private meta: Int32Array;
  private arena: Uint8Array;
  private arenaView: DataView;
  private names: string[] = [];
  private byText = new Map<string, number>();
  private used = 0;
  private readonly scratch = Buffer.allocUnsafe(MAX_KEY);

  /**
   * @param bits log2 of the slot count; at most half the slots are used.
   * @param seeds strings with the fixed ids 0, 1, ... in every generation.
   */
  constructor(
    bits: number,
    private readonly seeds: readonly string[] = [],
  ) {
    this.maxEntries = 1 << (bits - 1);
    const first = Math.min(bits, INITIAL_BITS);
    this.mask = (1 << first) - 1;
    this.slots = new Int32Array((1 << first) * SLOT);
    this.meta = new Int32Array((1 << (first - 1)) * 4);
    this.arena = new Uint8Array((1 << (first - 1)) * 64);
    this.arenaView = new DataView(this.arena.buffer);
    this.addSeeds();
  }

  /** Slots allocated now (grows with the entries, up to twice `maxEntries`). */
  get slotCount(): number {
    return this.slots.length / SLOT;
  }

  /** Number of ids given out in this generation (seeds included). */
  get size(): number {
    return this.names.length;
  }

  /** The string of an id of the current generation. */
  nameOf(id: number): string {
    return this.names[id] as string;
  }

  /**
   * The names of the current generation, by id: the array grows with the generation and is
   * replaced (never emptied) by a clear, so a holder keeps the names of its generation.
   */
  get dictionary(): readonly string[] {
    return this.names;
  }

  /** The strings of the ids from `from` on (current generation). */
  namesFrom(from: number): string[] {
    return this.names.slice(from);
  }

  /**
   * The id of the string that `bytes[start, end)` decode to as UTF-8 (bad sequences replaced
   * as TextDecoder does). May start a new generation first when the table is full.
   * @param view a DataView over the same memory as `bytes`.
   */
  intern(bytes: Buffer, view: DataView, start: number, end: number): number {
    const length = end - start;
    if (length > MAX_KEY) return this.idOfText(bytes.toString('utf8', start, end));
    const hash = asciiKeyHash(bytes, view, start, end);
    if (hash < 0) return this.idOfText(bytes.toString('utf8', start, end));
    const slots = this.slots;
    const mask = this.mask;
    let at = hash & mask;
    for (;;) {
      const entry = slots[at * SLOT] as number;
      if (entry === 0) break;
      if (
        slots[at * SLOT + 1] === hash &&
        slots[at * SLOT + 2] === length &&
        this.sameBytes(slots[at * SLOT + 3] as number, bytes, view, start, length)
      )
        return entry - 1;
      at = (at + 1) & mask;
    }
    const generation = this.generation;
    if (!this.hasRoom(1, length)) this.clear();
    else this.grows(1, length);
    if (this.slots !== slots || this.generation !== generation) {
      // A new generation (its seeds are in) or larger slots: probe again.
      at = hash & this.mask;
      while (this.slots[at * SLOT] !== 0) at = (at + 1) & this.mask;
    }
    const id = this.names.length;
    this.meta[id * 4] = hash;
    this.meta[id * 4 + 1] = length;
    this.meta[id * 4 + 2] = this.used;
    putSlot(this.slots, at, id, this.meta);
    const arena = this.arena;
    for (let k = 0, at = this.used; k < length; k++) arena[at + k] = bytes[start + k] as number;
    this.used += length;
    this.names.push(bytes.toString('latin1', start, end));
    return id;
  }

  /** The id of a string (e.g. from the string parser); the same id as its UTF-8 bytes get. */
  idOf(text: string): number {
    return this.idOfIn(text, this.scratch);
  }

  /** `idOf` with the bytes written to `scratch` (a clear re-enters with a buffer of its own). */
  private idOfIn(text: string, scratch: Buffer): number {
    if (text.length <= MAX_KEY && isAscii(text)) {
      const length = scratch.write(text, 0, 'latin1');
      return this.intern(scratch, new DataView(scratch.buffer, scratch.byteOffset, MAX_KEY), 0, length);
    }
    return this.idOfText(text);
  }

  /** Whether `entries` more ids with `bytes` more key bytes fit without a new generation. */
  hasRoom(entries: number, bytes: number): boolean {
    return this.names.length + entries <= this.maxEntries && this.used + bytes <= this.maxEntries * 64;
  }

  /**
   * Makes room for `entries` more ids with `bytes` more key bytes by doubling the arrays (at
   * most to `maxEntries`; `hasRoom` said they fit); whether it did (slots moved: probe again).
   */
  private grows(entries: number, bytes: number): boolean {
    const capacity = this.slotCount >> 1;
    if (this.names.length + entries <= capacity && this.used + bytes <= this.arena.length) return false;
    let slotCount = this.slotCount;
    while (slotCount >> 1 < this.names.length + entries || (slotCount >> 1) * 64 < this.used + bytes) slotCount *= 2;
    const mask = slotCount - 1;
    const slots = new Int32Array(slotCount * SLOT);
    const meta = new Int32Array((slotCount >> 1) * 4);
    meta.set(this.meta.subarray(0, this.names.length * 4));
    const arena = new Uint8Array((slotCount >> 1) * 64);
    arena.set(this.arena.subarray(0, this.used));
    for (let id = 0; id < this.names.length; id++) {
      if ((meta[id * 4 + 1] as number) < 0) continue; // looked up by text only
      let at = (meta[id * 4] as number) & mask;
      while (slots[at * SLOT] !== 0) at = (at + 1) & mask;
      putSlot(slots, at, id, meta);
    }
    this.slots = slots;
    this.meta = meta;
    this.arena = arena;
    this.arenaView = new DataView(arena.buffer);
    this.mask = mask;
    return true;
  }

  /** Forgets every entry and starts a new generation (after `onClear`). */
  clear(): void {
    this.onClear?.();
    this.slots.fill(0);
    this.names = [];
    this.byText = new Map();
    this.used = 0;
    this.generation++;
    this.addSeeds();
  }

  private addSeeds(): void {
    const scratch = Buffer.alloc(MAX_KEY);
    for (const seed of this.seeds) this.idOfIn(seed, scratch);
  }

  private idOfText(text: string): number {
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    if (!this.hasRoom(1, 0)) this.clear();
    else this.grows(1, 0);
    const id = this.names.length;
    this.meta[id * 4 + 1] = -1; // no byte lookup finds it
    this.names.push(text);
    this.byText.set(text, id);
    return id;
  }

  private sameBytes(offset: number, bytes: Buffer, view: DataView, start: number, length: number): boolean {
    const arena = this.arenaView;
    if (length < 4) {
      for (let k = 0; k < length; k++) if (this.arena[offset + k] !== bytes[start + k]) return false;
      return true;
    }
    // Words as `intern` hashes them: the last one ends at `length`.
    for (let k = 0; k + 4 < length; k += 4) if (arena.getInt32(offset + k, true) !== view.getInt32(start + k, true)) return false;
    return arena.getInt32(offset + length - 4, true) === view.getInt32(start + length - 4, true);
  }
}

/**
 * The hash (0 to 2^31 - 1) of the ASCII bytes `bytes[start, end)`, or -1 when one of them is
 * not ASCII. Read as whole 32-bit words, the last one ending at `end` (overlapping the one
 * before when the length is not a multiple of 4; the length is hashed too, so the words still
 * say which bytes these are): no loop over the last bytes, whose varying count costs a
 * mispredicted branch.
 * @param view a DataView over the same memory as `bytes`.
 */
export function asciiKeyHash(bytes: Buffer, view: DataView, start: number, end: number): number {
  const length = end - start;
  let hash = length;
  let bits = 0;
  if (length >= 4) {
    for (let k = start; k + 4 < end; k += 4) {
      const word = view.getInt32(k, true);
      bits |= word;
      hash = Math.imul(hash ^ word, 0x85ebca6b);
      hash = (hash << 13) | (hash >>> 19);
    }
    const word = view.getInt32(end - 4, true);
    bits |= word;
    hash = Math.imul(hash ^ word, 0x85ebca6b);
    hash = (hash << 13) | (hash >>> 19);
  } else if (length > 0) {
    const word =
      (bytes[start] as number) |
      (length > 1 ? (bytes[start + 1] as number) << 8 : 0) |
      (length > 2 ? (bytes[start + 2] as number) << 16 : 0);
    bits |= word;
    hash = Math.imul(hash ^ word, 0x85ebca6b);
    hash = (hash << 13) | (hash >>> 19);
  }
  if ((bits & 0x80808080) !== 0) return -1;
  hash = Math.imul(hash ^ (hash >>> 16), 0xc2b2ae35);
  return (hash ^ (hash >>> 13)) & 0x7fffffff;
}

/** Int32s per slot: id + 1, hash, length, arena offset. */
const SLOT = 4;

/** Fills slot `at` for `id`, whose hash, length and offset are in `meta`. */
function putSlot(slots: Int32Array, at: number, id: number, meta: Int32Array): void {
  slots[at * SLOT] = id + 1;
  slots[at * SLOT + 1] = meta[id * 4] as number;
  slots[at * SLOT + 2] = meta[id * 4 + 1] as number;
  slots[at * SLOT + 3] = meta[id * 4 + 2] as number;
}

/** log2 of the slot count a table starts with. */
const INITIAL_BITS = 8;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}
