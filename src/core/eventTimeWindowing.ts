import type { AccessRecord, ClosedWindow, LateRecord } from '../types.js';
import { WindowAggregate, closedWindow, foldNames } from './windowAggregate.js';
import { MonitorOptionsError } from '../errors.js';
import type { RuleFold } from './rules/ruleFold.js';

/**
 * The pure core of event-time tumbling windows with a bounded lateness (Flink-style
 * watermarks). No I/O and no clock: callers feed records and watermark advances, and receive
 * closed windows and late records through `emit`.
 *
 * - A record with time t belongs to the window [s, s + interval), s = floor(t / interval) * interval
 *   (windows aligned to the epoch).
 * - watermark = max(newest event time seen - lateness, any explicit advance).
 * - A window [s, e) closes once watermark >= e; windows close in order, empty ones included,
 *   from the window of the earliest counted record onwards.
 * - A record whose window has already closed (e <= watermark) is late: emitted as a LateRecord,
 *   never added to a window.
 * - An open window keeps an aggregate (`WindowAggregate`), never its records.
 *
 * A line is added in two steps, so that callers can fold it in whatever form they hold it
 * (strings, or ids from a record batch): `bucketFor` (its window's aggregate, or undefined when
 * it is late), then, once folded in, `observeTime` (which may close windows). `addRecord` does
 * both for a record.
 */
export interface WindowingOptions {
  /** Window length in ms (> 0). */
  readonly interval: number;
  /** Allowed lateness in ms (>= 0). */
  readonly lateness: number;
  /**
   * Longest run of empty windows emitted across a gap in the data (default 8640, a count of
   * windows: a day of 10 s windows, 2 h 24 min of 1 s ones). A longer gap emits that many,
   * then skips to the next window with data and reports the count as `skipped` on it, so
   * that one line dated years ahead cannot make the engine emit millions of windows.
   * `trafficAlert` evaluates the alert over the skipped windows too (see `recoverInGap`).
   */
  readonly maxEmptyWindows?: number;
}

export const DEFAULT_MAX_EMPTY_WINDOWS = 8640;

/**
 * The windowing's memory (`EngineState.windowing`), updated in place by `eventTimeWindows`:
 * made by the engine, saved in and restored from its checkpoints (see `followLog`).
 */
export interface WindowingState {
  /** Window length, ms. */
  readonly interval: number;
  /** Bounded lateness, ms. */
  readonly lateness: number;
  /** Longest run of empty windows emitted across a gap. */
  readonly maxEmptyWindows: number;
  /** Newest event time seen, or -Infinity before the first record. */
  maxTime: number;
  /** Records close windows up to here; -Infinity before the first record. */
  watermark: number;
  /** Start of the next window to emit; undefined until the first record is counted. */
  nextStart: number | undefined;
  /** Open windows by start time. */
  readonly open: Map<number, WindowAggregate>;
  /** Aggregates of closed windows, for reuse. */
  readonly spare: WindowAggregate[];
  /** The last window handed out by `bucketFor` (lines come in runs of one window). */
  lastStart: number;
  /** Its aggregate (undefined when none is open). */
  lastBucket: WindowAggregate | undefined;
  /** Alert rules' per-line figures, folded into each window beside its counts; undefined (the default): none. */
  ruleFold?: RuleFold | undefined;
}

export type WindowingEmit = (item: ClosedWindow | LateRecord) => void;

export function createWindowing(options: WindowingOptions): WindowingState {
  const { interval, lateness, maxEmptyWindows = DEFAULT_MAX_EMPTY_WINDOWS } = options;
  if (!Number.isFinite(interval) || interval <= 0)
    throw new MonitorOptionsError(`interval must be a positive number of ms, got ${interval}`);
  if (!Number.isFinite(lateness) || lateness < 0)
    throw new MonitorOptionsError(`lateness must be a non-negative number of ms, got ${lateness}`);
  if (!Number.isInteger(maxEmptyWindows) || maxEmptyWindows < 0)
    throw new MonitorOptionsError(`maxEmptyWindows must be a whole number >= 0, got ${maxEmptyWindows}`);
  return {
    interval,
    lateness,
    maxEmptyWindows,
    maxTime: -Infinity,
    watermark: -Infinity,
    nextStart: undefined,
    open: new Map(),
    spare: [],
    lastStart: NaN,
    lastBucket: undefined,
  };
}

export function windowStartOf(time: number, interval: number): number {
  return Math.floor(time / interval) * interval;
}

/** Adds one record: late, or into its window; then advances the watermark and closes windows. */
export function addRecord(state: WindowingState, record: AccessRecord, emit: WindowingEmit): void {
  const bucket = bucketFor(state, record.time);
  if (bucket === undefined) {
    emit({ type: 'late', record, watermark: state.watermark });
    return;
  }
  foldNames(bucket, record.host, record.section, record.status, record.bytes);
  observeTime(state, record.time, emit);
}

/** The aggregate of the window a line at `time` joins, or undefined when the line is late. */
export function bucketFor(state: WindowingState, time: number): WindowAggregate | undefined {
  const interval = state.interval;
  const start = Math.floor(time / interval) * interval;
  if (start === state.lastStart) return state.lastBucket;
  if (start + interval <= state.watermark) return undefined;
  if (state.nextStart === undefined || start < state.nextStart) {
    // Before anything is emitted, emission starts at the earliest counted record's window.
    state.nextStart = start;
  }
  let bucket = state.open.get(start);
  if (bucket === undefined) {
    bucket = state.spare.pop() ?? new WindowAggregate();
    state.open.set(start, bucket);
  }
  state.lastStart = start;
  state.lastBucket = bucket;
  return bucket;
}

/** After a line at `time` was counted: the newest time moves on, the watermark with it. */
export function observeTime(state: WindowingState, time: number, emit: WindowingEmit): void {
  if (time > state.maxTime) {
    state.maxTime = time;
    advanceWatermark(state, time - state.lateness, emit);
  }
}

/** Forgets the open windows (an unsubscribed pipeline that owned its state). */
export function dropOpenWindows(state: WindowingState): void {
  state.open.clear();
  state.lastStart = NaN;
  state.lastBucket = undefined;
}

/** Moves the watermark forward (never back) and emits every window it closes, in order. */
export function advanceWatermark(state: WindowingState, watermark: number, emit: WindowingEmit): void {
  if (!(watermark > state.watermark)) return;
  state.watermark = watermark;
  closeUpTo(state, watermark, emit);
}

/** End of input: every open window closes, in order, gaps included. */
export function flushWindows(state: WindowingState, emit: WindowingEmit): void {
  if (state.nextStart === undefined) return;
  let last = -Infinity;
  for (const start of state.open.keys()) if (start > last) last = start;
  if (last === -Infinity) return;
  closeUpTo(state, last + state.interval, emit);
}

function closeUpTo(state: WindowingState, watermark: number, emit: WindowingEmit): void {
  const { interval, open } = state;
  if (state.nextStart === undefined) return;
  let start: number = state.nextStart;
  let emptyRun = 0;
  let skipped = 0;
  let jumped = false;
  while (start + interval <= watermark) {
    const bucket = open.get(start);
    if (bucket === undefined && !jumped && emptyRun >= state.maxEmptyWindows) {
      // Skip ahead; the window landed on is emitted whatever it holds (so 0 cannot loop).
      const next = nextDataOrLast(state, start, watermark);
      skipped += (next - start) / interval;
      start = next;
      state.nextStart = start;
      emptyRun = 0;
      jumped = true;
      continue;
    }
    jumped = false;
    if (bucket !== undefined) open.delete(start);
    if (start === state.lastStart) {
      state.lastStart = NaN;
      state.lastBucket = undefined;
    }
    emptyRun = bucket === undefined ? emptyRun + 1 : 0;
    const end: number = start + interval;
    // Advance before emitting so that a re-entrant call (a subscriber feeding back) sees a consistent state.
    state.nextStart = end;
    const window = closedWindow(start, end, bucket, skipped);
    if (bucket !== undefined && state.spare.length < 16) {
      bucket.reset();
      state.spare.push(bucket);
    }
    emit(window);
    skipped = 0;
    start = end;
  }
}

/** Start of the first open window at or after `from`, else of the last window the watermark closes. */
function nextDataOrLast(state: WindowingState, from: number, watermark: number): number {
  let next = Infinity;
  for (const key of state.open.keys()) if (key >= from && key < next) next = key;
  const lastClosed = windowStartOf(watermark, state.interval) - state.interval;
  return Math.max(from, Math.min(next, lastClosed));
}
