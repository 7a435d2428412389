/**
 * Occurrences per small non-negative integer id: an open-addressing hash table on two typed
 * arrays, reused from window to window (clearing keeps the capacity), so that counting costs
 * no allocation per line or per window.
 */

/** Capacity kept by `clear`; a table grown past it (a window with that many distinct ids) is dropped. */
const KEEP = 1 << 12;

export class IdCounts {
  /** Number of distinct ids. */
  size = 0;
  private keys = new Int32Array(16);
  private counts = new Int32Array(16);
  private shift = 28;

  /** Counts one occurrence of `id`. */
  add(id: number): void {
    const key = id + 1;
    const keys = this.keys;
    const mask = keys.length - 1;
    let at = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[at] as number;
      if (k === key) {
        this.counts[at] = (this.counts[at] as number) + 1;
        return;
      }
      if (k === 0) {
        keys[at] = key;
        this.counts[at] = 1;
        if (++this.size * 2 > keys.length) this.grow();
        return;
      }
      at = (at + 1) & mask;
    }
  }

  /** Calls `fn` for every id with its count (in no particular order). */
  forEach(fn: (id: number, count: number) => void): void {
    const keys = this.keys;
    for (let at = 0; at < keys.length; at++) {
      const k = keys[at] as number;
      if (k !== 0) fn(k - 1, this.counts[at] as number);
    }
  }

  clear(): void {
    if (this.size === 0) return;
    this.size = 0;
    if (this.keys.length > KEEP) {
      this.keys = new Int32Array(16);
      this.counts = new Int32Array(16);
      this.shift = 28;
    } else {
      this.keys.fill(0);
    }
  }

  private grow(): void {
    const keys = this.keys;
    const counts = this.counts;
    this.keys = new Int32Array(keys.length * 2);
    this.counts = new Int32Array(keys.length * 2);
    this.shift--;
    this.size = 0;
    for (let at = 0; at < keys.length; at++) {
      const k = keys[at] as number;
      if (k !== 0) {
        this.insert(k, counts[at] as number);
      }
    }
  }

  private insert(key: number, count: number): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    let at = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (keys[at] !== 0) at = (at + 1) & mask;
    keys[at] = key;
    this.counts[at] = count;
    this.size++;
  }
}
