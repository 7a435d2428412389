/**
 * The alert's rate from interval statistics: hits with time in [T - alertWindow, T) divided
 * by the window in seconds, at each interval end T (what the engine evaluates). Pure.
 */
export class RollingRate {
  private readonly ends: number[] = [];
  private readonly hits: number[] = [];
  private head = 0;
  private sum = 0;

  /** @param alertWindow ms */
  constructor(private readonly alertWindow: number) {}

  /** Adds the interval [start, end) with `hits`; returns the rate at `end`, requests/s. */
  push(start: number, end: number, hits: number): number {
    this.ends.push(end);
    this.hits.push(hits);
    this.sum += hits;
    // Intervals that ended at or before T - window are out (intervals never straddle it: the window is a multiple).
    while (this.head < this.ends.length && (this.ends[this.head] as number) <= end - this.alertWindow) {
      this.sum -= this.hits[this.head] as number;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.ends.length) {
      this.ends.splice(0, this.head);
      this.hits.splice(0, this.head);
      this.head = 0;
    }
    void start;
    return this.sum / (this.alertWindow / 1000);
  }
}
