/**
 * Event-time windows that hold an aggregate per window instead of its records, on top of the
 * core itself (src/core/eventTimeWindowing.ts): its state, `advanceWatermark` and
 * `flushWindows` close the windows (in order, empty ones included, long empty runs skipped),
 * and only `addRecord` is redone here, step for step, to fold a record into an aggregate
 * instead of pushing it into the window's array.
 *
 * In the core's `open` map a window with data holds an empty placeholder array; the
 * aggregates live in `aggregates`, under the same start. A record is added in two calls:
 * `bucketFor` (its aggregate, or undefined when late), then, once the caller has folded the
 * record in, `observeTime` (which may close windows): the order of `addRecord`.
 */
import type { AccessRecord, ClosedWindow, LateRecord } from '../types.js';
import { advanceWatermark, flushWindows, windowStartOf, type WindowingState } from '../core/eventTimeWindowing.js';

/** A closed window: its aggregate (undefined when no record reached it) and the empty windows skipped before it. */
export type AggregateEmit<A> = (start: number, end: number, aggregate: A | undefined, skipped: number) => void;

const PLACEHOLDER: AccessRecord[] = [];

export class AggregateWindows<A> {
  private readonly aggregates = new Map<number, A>();
  /** The last bucket handed out (records come in runs of one window). */
  private lastStart = NaN;
  private lastBucket: A | undefined;
  private readonly closed: (item: ClosedWindow | LateRecord) => void;

  constructor(
    readonly state: WindowingState,
    private readonly create: () => A,
    emit: AggregateEmit<A>,
  ) {
    this.closed = (item) => {
      if (item.type !== 'window') return; // the core emits late records only from addRecord
      const aggregate = this.aggregates.get(item.start);
      if (aggregate !== undefined) this.aggregates.delete(item.start);
      if (item.start === this.lastStart) {
        this.lastStart = NaN;
        this.lastBucket = undefined;
      }
      emit(item.start, item.end, aggregate, item.skipped ?? 0);
    };
  }

  /** The aggregate that a record at `time` joins, or undefined when the record is late. */
  bucketFor(time: number): A | undefined {
    const state = this.state;
    const start = windowStartOf(time, state.interval);
    if (start + state.interval <= state.watermark) return undefined;
    if (state.nextStart === undefined || start < state.nextStart) {
      // Before anything is emitted, emission starts at the earliest counted record's window.
      state.nextStart = start;
    }
    if (start === this.lastStart) return this.lastBucket;
    let bucket = this.aggregates.get(start);
    if (bucket === undefined) {
      bucket = this.create();
      this.aggregates.set(start, bucket);
      state.open.set(start, PLACEHOLDER);
    }
    this.lastStart = start;
    this.lastBucket = bucket;
    return bucket;
  }

  /** After a record at `time` was counted: advance the watermark, closing windows. */
  observeTime(time: number): void {
    const state = this.state;
    if (time > state.maxTime) {
      state.maxTime = time;
      advanceWatermark(state, time - state.lateness, this.closed);
    }
  }

  /** The aggregate of the open window that starts at `start`, if any. */
  openAt(start: number): A | undefined {
    return this.aggregates.get(start);
  }

  /** Calls `fn` with the aggregate of every open window. */
  forEachOpen(fn: (aggregate: A) => void): void {
    for (const aggregate of this.aggregates.values()) fn(aggregate);
  }

  /** End of input: every open window closes. */
  flush(): void {
    flushWindows(this.state, this.closed);
  }
}
