/** A line-protocol point waiting to be written, numbered in arrival order. */
export interface QueuedPoint {
  readonly seq: number;
  readonly line: string;
}

/**
 * FIFO of points with O(1) amortised take and drop-oldest. The caller bounds its size
 * (`dropOldest`); storage is compacted once half of it is consumed.
 */
export class PointQueue {
  private items: QueuedPoint[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  front(): QueuedPoint | undefined {
    return this.items[this.head];
  }

  push(point: QueuedPoint): void {
    this.items.push(point);
  }

  /** The newest `n` points' lines (or all), oldest first, left in the queue. */
  newest(n: number): string[] {
    return this.items.slice(Math.max(this.head, this.items.length - n)).map((p) => p.line);
  }

  /** Removes and returns up to `n` points from the front. */
  take(n: number): QueuedPoint[] {
    const out = this.items.slice(this.head, this.head + n);
    this.advance(out.length);
    return out;
  }

  /** Puts a batch that could not be written back at the front (it is older than the rest). */
  putBack(batch: readonly QueuedPoint[]): void {
    this.items = [...batch, ...this.items.slice(this.head)];
    this.head = 0;
  }

  /** Drops up to `n` of the oldest points; returns how many were dropped. */
  dropOldest(n: number): number {
    const count = Math.max(0, Math.min(n, this.size));
    this.advance(count);
    return count;
  }

  /** Empties the queue; returns how many points it held. */
  clear(): number {
    const count = this.size;
    this.items = [];
    this.head = 0;
    return count;
  }

  private advance(n: number): void {
    this.head += n;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
