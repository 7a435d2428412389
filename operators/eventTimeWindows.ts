import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { AccessRecord, InvalidLine, ParsedLine, WindowOutput } from '../src/types.js';
import { ParsedBatcher } from '../src/core/parsedBatch.js';
import {
  advanceWatermark,
  bucketFor,
  createWindowing,
  dropOpenWindows,
  flushWindows,
  observeTime,
  type WindowingEmit,
  type WindowingState,
} from '../src/core/eventTimeWindowing.js';
import { foldIds } from '../src/core/windowAggregate.js';
import type { RecordBatch } from '../src/parse/recordBatch.js';
import { MonitorOptionsError } from '../src/errors.js';
import { needsOf, type Rule } from '../src/core/rules/rule.js';
import { RuleFold } from '../src/core/rules/ruleFold.js';

/** Options of `eventTimeWindows`. */
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
   * Asked when idle time would advance the watermark: true means input is known to be on its
   * way (a followed file grew while the process was descheduled, see `TailFileOptions`'s
   * `onBehindCheck`), so the watermark waits and the question is asked again a little later
   * (a quarter of `idleTimeout`, at most 250 ms); lines that come meanwhile restart the idle time.
   */
  readonly idleHold?: () => boolean;
  /** Longest run of empty windows emitted across a gap (see `WindowingOptions`). Default 8640. */
  readonly maxEmptyWindows?: number;
  /**
   * Records dated more than this many ms after the scheduler's clock are not trusted: they
   * pass on as invalid lines (reason `future_time`) instead of moving the watermark, so one
   * line dated in 2100 cannot make every later line late. Default: no check (virtual-time
   * tests and replays of synthetic logs would trip it); the CLI uses one day.
   */
  readonly maxFuture?: number;
  /**
   * Alert rules (`ruleAlerts`) whose per-line figures the windows collect beside their counts
   * (`ruleData` on each closed window): requests and bytes per filter, request durations.
   * Default: none, at no cost. Ignored when `state` already has its own.
   */
  readonly rules?: readonly Rule[];
}

/**
 * Groups parsed lines into event-time tumbling windows with a bounded lateness; late records
 * and invalid lines pass through as values so that nothing is lost. A window keeps an
 * aggregate (hits, bytes, status classes, hits per section, distinct hosts), never its
 * records: memory is bounded by the distinct values of the open windows, not by the traffic.
 * It folds whole record batches (`parseAccessLog`'s) in one loop; a `ParsedLine` is taken as a
 * batch of one row, so hand-made records work too.
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
 *   .subscribe((out) => { if (out.type === 'window') console.log(out.start, out.hits, out.hosts); });
 * ```
 * @param options Window length, lateness, optional idle advance and its scheduler.
 * @returns An operator emitting closed windows (empty ones included, in order), late records
 * and invalid lines; on completion every open window is flushed before `complete()`.
 */
export function eventTimeWindows(options: EventTimeWindowsOptions = {}): OperatorFunction<RecordBatch | ParsedLine, WindowOutput> {
  return eventTimeWindowsOnState(options);
}

/** `EventTimeWindowsOptions` and the engine's state (not exported by the package). */
export interface EventTimeWindowsStateOptions extends EventTimeWindowsOptions {
  /**
   * State kept outside the operator (`EngineState.windowing`), which it then works on in
   * place, so that it can be snapshot between emissions: the file engine passes it, restored
   * from a checkpoint. Such a pipeline must be subscribed once at a time. Its interval and
   * lateness win. apachescan exports no factory for it: to resume from a checkpoint, use
   * `followLog` or `monitorFiles` with `checkpoint` (and `loadFollowCheckpoint`); without
   * this option each subscription gets fresh state.
   */
  readonly state?: WindowingState;
}

/** `eventTimeWindows` on state the file engine owns and restores from a checkpoint (not exported by the package). */
export function eventTimeWindowsOnState(options: EventTimeWindowsStateOptions): OperatorFunction<RecordBatch | ParsedLine, WindowOutput> {
  const { idleTimeout, idleHold, scheduler = asyncScheduler, state: given, maxFuture } = options;
  const { interval = 10_000, lateness = 10_000 } = given ?? options;
  const maxEmptyWindows = given?.maxEmptyWindows ?? options.maxEmptyWindows;
  const settings = { interval, lateness, ...(maxEmptyWindows === undefined ? {} : { maxEmptyWindows }) };
  // Validate eagerly, while the pipe is built.
  createWindowing(settings);
  if (maxFuture !== undefined && !(maxFuture >= 0))
    throw new MonitorOptionsError(`maxFuture must be a non-negative number of ms, got ${maxFuture}`);
  if (idleTimeout !== undefined && !(idleTimeout > 0))
    throw new MonitorOptionsError(`idleTimeout must be a positive number of ms, got ${idleTimeout}`);

  return (source) =>
    new Observable<WindowOutput>((subscriber) => {
      const state = given ?? createWindowing(settings);
      const needs = options.rules === undefined ? undefined : needsOf(options.rules);
      if (needs !== undefined && state.ruleFold === undefined) state.ruleFold = new RuleFold(needs);
      const emit: WindowingEmit = (item) => subscriber.next(item);
      let lastArrival = 0;
      let idleTimer: Subscription | undefined;

      const onIdleCheck = (): void => {
        idleTimer = undefined;
        const now = scheduler.now();
        const idle = now - lastArrival;
        if (idleTimeout === undefined || state.maxTime === -Infinity) return;
        if (idle >= idleTimeout) {
          if (idleHold?.() === true) {
            idleTimer = scheduler.schedule(onIdleCheck, Math.min(idleTimeout / 4, 250));
            return;
          }
          advanceWatermark(state, state.maxTime + idle - lateness, emit);
        }
        // Wake up when the idle timeout is reached, or when the next window would close.
        const nextEnd = (state.nextStart ?? Infinity) + interval;
        const due = Math.max(lastArrival + idleTimeout, lastArrival + nextEnd + lateness - state.maxTime);
        if (Number.isFinite(due) && !subscriber.closed) {
          idleTimer = scheduler.schedule(onIdleCheck, Math.max(1, due - now));
        }
      };

      /** The clock, when something needs it (the idle advance, the future check). */
      const clock = (): number => (idleTimeout === undefined && maxFuture === undefined ? 0 : scheduler.now());
      /** A line was counted (in a window): idle time counts from here. Invalid, future and late lines do not stop the clock. */
      const counted = (now: number): void => {
        if (idleTimeout === undefined) return;
        lastArrival = now;
        if (idleTimer === undefined) idleTimer = scheduler.schedule(onIdleCheck, idleTimeout);
      };

      /** A whole batch: one tight loop, an object only for what passes on (invalid and late lines). */
      const onBatch = (batch: RecordBatch): void => {
        const now = clock();
        const futureFrom = maxFuture === undefined ? Infinity : now + maxFuture;
        const { count, times, status, bytes, hostIds, sectionIds, hostDict, sectionDict, invalid } = batch;
        const ruleFold = state.ruleFold;
        ruleFold?.prepare(batch);
        let invalidRow = 0;
        let anyCounted = false;
        for (let row = 0; row < count; row++) {
          const code = status[row] as number;
          if (code === 0) {
            subscriber.next(invalid[invalidRow++] as InvalidLine);
            continue;
          }
          const time = times[row] as number;
          if (time > futureFrom) {
            subscriber.next(futureLine(batch.recordAt(row)));
            continue;
          }
          const bucket = bucketFor(state, time);
          if (bucket === undefined) {
            subscriber.next({ type: 'late', record: batch.recordAt(row), watermark: state.watermark });
            continue;
          }
          if (!anyCounted) {
            anyCounted = true;
            counted(now);
          }
          foldIds(bucket, hostIds[row] as number, hostDict, sectionIds[row] as number, sectionDict, code, bytes[row] as number);
          if (ruleFold !== undefined) ruleFold.row((bucket.extra ??= ruleFold.create()), batch, row);
          if (time > state.maxTime) {
            observeTime(state, time, emit);
            if (subscriber.closed) return;
          }
        }
      };

      const error = (err: unknown): void => subscriber.error(err);
      const complete = (): void => {
        idleTimer?.unsubscribe();
        flushWindows(state, emit);
        subscriber.complete();
      };
      const batcher = new ParsedBatcher();
      const subscription = source.subscribe({ next: (item) => onBatch(batcher.of(item)), error, complete });

      return () => {
        subscription.unsubscribe();
        idleTimer?.unsubscribe();
        idleTimer = undefined;
        if (given === undefined) dropOpenWindows(state);
      };
    });
}

function futureLine(record: AccessRecord): InvalidLine {
  return {
    type: 'invalid',
    line: `${record.host} ${record.method} ${record.path} at ${new Date(record.time).toISOString()}`,
    reason: 'future_time',
  };
}
