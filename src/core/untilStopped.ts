/** `takeUntil(stop)` on both views of a batched Observable (src/core/batches.ts). */
import { takeUntil, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { batchesOf, withBatches } from './batches.js';

export function untilStopped<T>(stop: Observable<unknown>): MonoTypeOperatorFunction<T> {
  return (source) => {
    const values = source.pipe(takeUntil(stop));
    const batches = batchesOf(source);
    return batches === undefined ? values : withBatches(values, batches.pipe(takeUntil(stop)));
  };
}
