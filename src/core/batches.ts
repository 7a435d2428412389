/**
 * How our sources and operators hand each other batches while staying plain Observables
 * (operator fusion, as RxJava's "fuseable" operators do it at assembly time).
 *
 * An Observable may carry, under the `BATCHES` symbol, a second view of the same data: an
 * Observable of batches (lines as byte ranges, or parsed lines in columns). A stage built on
 * such a source subscribes to the batch view and folds whole batches with tight loops; on any
 * other source it takes values one by one, as a batch of one. Subscribing to an Observable
 * normally always gives its values one by one: the batch view is an addition, never a
 * replacement, and both views give the same data.
 *
 * Batches are lent, not given: a batch (and the buffers it points into) is valid only during
 * the `next` call that delivers it, and is reused afterwards.
 */
import type { Observable } from 'rxjs';

export const BATCHES: unique symbol = Symbol.for('apachescan.batches');

/** An Observable of values that also offers them in batches. */
export type Batched<T, B> = Observable<T> & { readonly [BATCHES]: Observable<B> };

/** The batch view of `source`, if it has one. */
export function batchesOf<B>(source: Observable<unknown>): Observable<B> | undefined {
  return (source as Partial<Batched<unknown, B>>)[BATCHES];
}

/** `values` with `batches` as its batch view. */
export function withBatches<T, B>(values: Observable<T>, batches: Observable<B>): Batched<T, B> {
  return Object.defineProperty(values, BATCHES, { value: batches, enumerable: false }) as Batched<T, B>;
}
