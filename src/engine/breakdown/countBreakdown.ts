/**
 * `--by`: the stage that counts each record under its key just before the windows see it.
 * The windows' watermark is followed row by row as `eventTimeWindows` will move it (newest time minus lateness), so
 * a row is counted exactly when the windows will count it: not late, not dated in the future.
 */
import { tap, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { WindowingState } from '../../core/eventTimeWindowing.js';
import type { RecordBatch } from '../../parse/recordBatch.js';
import { countBefore, type Breakdown } from './windowBreakdown.js';

export interface CountBreakdownOptions {
  /** The breakdown and the windows' state, once the engine is subscribed (undefined: nothing counted). */
  readonly target: () => { breakdown: Breakdown; windowing: WindowingState } | undefined;
  /** The key of a row. */
  readonly keyOfRow: (batch: RecordBatch, row: number) => string;
  readonly maxFuture: number | undefined;
  readonly scheduler: SchedulerLike;
}

export function countBreakdown(options: CountBreakdownOptions): MonoTypeOperatorFunction<RecordBatch> {
  const { target, keyOfRow, maxFuture, scheduler } = options;
  const futureFrom = (): number => (maxFuture === undefined ? Infinity : scheduler.now() + maxFuture);
  return tap((batch) => {
    const to = target();
    if (to !== undefined) countRows(batch, to.breakdown, to.windowing, futureFrom(), keyOfRow);
  });
}

function countRows(
  batch: RecordBatch,
  breakdown: Breakdown,
  windowing: WindowingState,
  futureFrom: number,
  keyOfRow: CountBreakdownOptions['keyOfRow'],
): void {
  let { watermark, maxTime } = windowing;
  const { lateness } = windowing;
  const { count, status, times } = batch;
  for (let row = 0; row < count; row++) {
    if (status[row] === 0) continue;
    const time = times[row] as number;
    if (time > futureFrom) continue;
    const start = Math.floor(time / windowing.interval) * windowing.interval;
    if (start + windowing.interval <= watermark) continue; // late: in no window, moves nothing
    countBefore(breakdown, watermark, time, keyOfRow(batch, row));
    if (time > maxTime) {
      maxTime = time;
      if (time - lateness > watermark) watermark = time - lateness;
    }
  }
}
