import { Observable, type OperatorFunction } from 'rxjs';
import type { InvalidLine, ParsedLine } from '../src/types.js';
import { RecordBatch } from '../src/parse/recordBatch.js';

/**
 * Record batches into parsed lines, one value per row: an `AccessRecord` for a request (with
 * every field: method, path, duration...), an `InvalidLine` for a line that did not parse.
 * For consumers that want objects and can pay one per line (a batch, `parseAccessLog`'s
 * output, is lent and folded in place; these are yours to keep). Parsed lines pass as they are.
 *
 * ```
 * source:  --[R I R]----[R]--|      a batch of three rows, then one of one
 * output:  --(R I R)----R----|
 * ```
 *
 * @example
 * ```ts
 * import { readLogFile } from 'apachescan';
 * import { parseAccessLog, toRecords } from 'apachescan/operators';
 * readLogFile('access.log').pipe(parseAccessLog(), toRecords())
 *   .subscribe((p) => p.type === 'record' && console.log(p.method, p.path, p.status));
 * ```
 * @returns An operator from record batches (or parsed lines) to parsed lines, in row order.
 */
export function toRecords(): OperatorFunction<RecordBatch | ParsedLine, ParsedLine> {
  return (source) =>
    new Observable<ParsedLine>((subscriber) =>
      source.subscribe({
        next: (item) => {
          if (!(item instanceof RecordBatch)) return subscriber.next(item);
          const { count, status, invalid } = item;
          let invalidRow = 0;
          for (let row = 0; row < count && !subscriber.closed; row++) {
            subscriber.next(status[row] === 0 ? (invalid[invalidRow++] as InvalidLine) : item.recordAt(row));
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}
