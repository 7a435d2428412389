import { Observable, type OperatorFunction } from 'rxjs';
import type { StatsEvent, WindowOutput } from '../src/types.js';
import { summarizeWindow } from '../src/core/windowSummary.js';
import { countReason } from '../src/invalidReasons.js';
import { MonitorOptionsError } from '../src/errors.js';

/** Options of `windowStats`. */
export interface WindowStatsOptions {
  /** How many top sections each stats event lists. Default 5. */
  readonly top?: number;
}

/** Invalid and late lines seen since the last stats event. */
export interface PendingCounts {
  /** Invalid lines since the last stats event. */
  invalid: number;
  /** Late lines since the last stats event. */
  late: number;
  /** `invalid` by reason (see `InvalidReason`); created when absent. */
  invalidReasons?: Record<string, number>;
}

/**
 * Turns each closed window (its aggregate) into its statistics: the top sections; invalid lines and late records seen since the
 * previous window are counted into the next stats event.
 *
 * ```
 * source:  --I--W[0,10)--L--W[10,20)--|
 * output:  -----S{invalid:1,late:0}--S{invalid:0,late:1}--|
 * ```
 *
 * @example
 * ```ts
 * import { parseAccessLog, eventTimeWindows, windowStats } from 'apachescan/operators';
 * lines$.pipe(parseAccessLog(), eventTimeWindows(), windowStats({ top: 3 }))
 *   .subscribe((s) => console.log(s.start, s.hits, s.sections));
 * ```
 * @param options `top`: number of sections listed (by hits, then name).
 * @returns An operator from window outputs to one `StatsEvent` per closed window.
 */
export function windowStats(options: WindowStatsOptions = {}): OperatorFunction<WindowOutput, StatsEvent> {
  return windowStatsOnState(options);
}

/** `WindowStatsOptions` and the engine's state (not exported by the package). */
export interface WindowStatsStateOptions extends WindowStatsOptions {
  /**
   * Bring your own counters of invalid and late lines not yet reported (e.g. restored from a
   * checkpoint); the operator updates them in place. Subscribe such a pipeline once at a time.
   */
  readonly pending?: PendingCounts;
}

/** `windowStats` on state the file engine owns and restores from a checkpoint (not exported by the package). */
export function windowStatsOnState(options: WindowStatsStateOptions): OperatorFunction<WindowOutput, StatsEvent> {
  const { top = 5, pending: given } = options;
  if (!Number.isInteger(top) || top < 0) throw new MonitorOptionsError(`top must be a non-negative integer, got ${top}`);
  return (source) =>
    new Observable<StatsEvent>((subscriber) => {
      const pending: PendingCounts = given ?? { invalid: 0, late: 0 };
      const reasons = (pending.invalidReasons ??= {});
      return source.subscribe({
        next: (item) => {
          if (item.type === 'invalid') {
            pending.invalid++;
            countReason(reasons, item.reason);
          } else if (item.type === 'late') pending.late++;
          else {
            const { invalid, late } = pending;
            const stats = summarizeWindow(item, { top, invalid, late, invalidReasons: reasons });
            pending.invalid = 0;
            pending.late = 0;
            for (const reason of Object.keys(reasons)) delete reasons[reason];
            subscriber.next(stats);
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
