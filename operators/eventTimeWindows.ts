import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { AccessRecord, InvalidLine, ParsedLine, WindowOutput } from '../src/types.js';
import { addRecord, advanceWatermark, createWindowing, flushWindows, windowStartOf, type WindowingEmit, type WindowingState } from '../src/core/eventTimeWindowing.js';
import { MonitorOptionsError } from '../src/errors.js';

export interface EventTimeWindowsOptions {
  /** Window length in ms (tumbling, aligned to the epoch). Default 10 000. */
  readonly interval?: number;
  /** How far behind the newest event time a record may arrive, in ms. Default 10 000. */
  readonly lateness?: number;
  /**
   * Processing time (ms) without input after which the watermark advances with the clock, as
   * if an empty line dated "newest event time + time since the last line" had arrived. Keeps
   * windows closing (and alerts recovering) when traffic stops. Undefined: never (replay).
   */
  readonly idleTimeout?: number;
  /** Where processing time comes from (only used with `idleTimeout`). */
  readonly scheduler?: SchedulerLike;
  /**
   * Bring your own state (from `createWindowing`, possibly restored from a checkpoint): the
   * operator then works on it in place, so the caller can snapshot it between emissions.
   * Such a pipeline must be subscribed once at a time. Its interval and lateness win.
   */
  readonly state?: WindowingState;
  /** Longest run of empty windows emitted across a gap (see `WindowingOptions`). Default 8640. */
  readonly maxEmptyWindows?: number;
  /**
   * Records dated more than this many ms after the scheduler's clock are not trusted: they
   * pass on as invalid lines (reason `future_time`) instead of moving the watermark, so one
   * line dated in 2100 cannot make every later line late. Default: no check (virtual-time
   * tests and replays of synthetic logs would trip it); the CLI uses one day.
   */
  readonly maxFuture?: number;
}

/**
 * Groups parsed lines into event-time tumbling windows with a bounded lateness; late records
 * and invalid lines pass through as values so that nothing is lost.
 *
 * ```
 * interval 10 s, lateness 5 s (records shown by event time in s)
 * source:  --r(1)--r(12)--r(4)--r(17)--r(3)--|
 * output:  ------------------------W[0,10)--L(3)--(W[10,20)|)
 *           r(4) is still on time: watermark = 12 - 5 = 7 < 10
 *           r(17) moves the watermark to 12: [0,10) closes
 *           r(3) arrives after its window closed: late
 * ```
 *
 * @example
 * ```ts
 * import { parseAccessLog, eventTimeWindows } from 'apachescan/operators';
 * lines$.pipe(parseAccessLog(), eventTimeWindows({ interval: 10_000, lateness: 10_000 }))
 *   .subscribe((out) => { if (out.type === 'window') console.log(out.start, out.records.length); });
 * ```
 * @param options Window length, lateness, optional idle advance and its scheduler.
 * @returns An operator emitting closed windows (empty ones included, in order), late records
 * and invalid lines; on completion every open window is flushed before `complete()`.
 */
export function eventTimeWindows(options: EventTimeWindowsOptions = {}): OperatorFunction<ParsedLine, WindowOutput> {
  const { idleTimeout, scheduler = asyncScheduler, state: given, maxFuture } = options;
  const { interval = 10_000, lateness = 10_000 } = given ?? options;
  const maxEmptyWindows = given?.maxEmptyWindows ?? options.maxEmptyWindows;
  const settings = { interval, lateness, ...(maxEmptyWindows === undefined ? {} : { maxEmptyWindows }) };
  // Validate eagerly, while the pipe is built.
  createWindowing(settings);
  if (maxFuture !== undefined && !(maxFuture >= 0)) throw new MonitorOptionsError(`maxFuture must be a non-negative number of ms, got ${maxFuture}`);
  if (idleTimeout !== undefined && !(idleTimeout > 0)) throw new MonitorOptionsError(`idleTimeout must be a positive number of ms, got ${idleTimeout}`);

  return (source) =>
    new Observable<WindowOutput>((subscriber) => {
      const state = given ?? createWindowing(settings);
      const emit: WindowingEmit = (item) => subscriber.next(item);
      let lastArrival = 0;
      let idleTimer: Subscription | undefined;

      const onIdleCheck = (): void => {
        idleTimer = undefined;
        const now = scheduler.now();
        const idle = now - lastArrival;
        if (idleTimeout === undefined || state.maxTime === -Infinity) return;
        if (idle >= idleTimeout) {
          advanceWatermark(state, state.maxTime + idle - lateness, emit);
        }
        // Wake up when the idle timeout is reached, or when the next window would close.
        const nextEnd = (state.nextStart ?? Infinity) + interval;
        const due = Math.max(lastArrival + idleTimeout, lastArrival + nextEnd + lateness - state.maxTime);
        if (Number.isFinite(due) && !subscriber.closed) {
          idleTimer = scheduler.schedule(onIdleCheck, Math.max(1, due - now));
        }
      };

      const subscription = source.subscribe({
        next: (item) => {
          if (item.type !== 'record') subscriber.next(item);
          else if (maxFuture !== undefined && item.time > scheduler.now() + maxFuture) subscriber.next(futureLine(item));
          else {
            // Idle time counts from the last counted line: invalid, future and late lines do not stop the clock.
            if (idleTimeout !== undefined && !isLate(state, item)) {
              lastArrival = scheduler.now();
              if (idleTimer === undefined) idleTimer = scheduler.schedule(onIdleCheck, idleTimeout);
            }
            addRecord(state, item, emit);
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          idleTimer?.unsubscribe();
          flushWindows(state, emit);
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        idleTimer?.unsubscribe();
        idleTimer = undefined;
        if (given === undefined) state.open.clear();
      };
    });
}

function isLate(state: WindowingState, record: AccessRecord): boolean {
  return windowStartOf(record.time, state.interval) + state.interval <= state.watermark;
}

function futureLine(record: AccessRecord): InvalidLine {
  return { type: 'invalid', line: `${record.host} ${record.method} ${record.path} at ${new Date(record.time).toISOString()}`, reason: 'future_time' };
}
