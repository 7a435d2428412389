import { Observable, type OperatorFunction } from 'rxjs';
import type { ParsedLine } from '../src/types.js';
import { FilteredBatch } from '../src/core/filteredBatch.js';
import { ParsedBatcher } from '../src/core/parsedBatch.js';
import { RowView } from '../src/core/rowView.js';
import type { RecordBatch } from '../src/parse/recordBatch.js';

/** Requests left out by `filterRows`, counted so that every line stays accounted for. */
export interface DroppedCount {
  /** Requests the predicate said no to. */
  dropped: number;
}

/** Options of `filterRows`. */
export interface FilterRowsOptions {
  /** Incremented for every request left out. */
  readonly counts?: DroppedCount;
}

/**
 * A stage of your own between the parser and the windows, at the parser's speed: keeps the
 * requests for which `predicate` says true. The predicate sees each request through a
 * `RowView` (its `time`, `status`, `bytes`, `host` and `section`, read from the batch's
 * columns; `record()` for the rest, at the cost of parsing the line again); the view is one
 * object moved from row to row, so keep its values, not the view. Invalid lines always pass
 * (they stay counted as invalid). A batch whose requests all pass goes on as it is.
 *
 * ```
 * predicate: section !== '/static'      (rows by section; I: invalid line)
 * source:  --[/api /static I]----[/static]--|
 * output:  --[/api I]-----------------------|     counts.dropped = 2
 * ```
 *
 * @example
 * ```ts
 * import { readLogFile, monitorParsed } from 'apachescan';
 * import { parseAccessLog, filterRows } from 'apachescan/operators';
 * const parsed$ = readLogFile('access.log').pipe(parseAccessLog(), filterRows((r) => r.section !== '/static'));
 * monitorParsed(parsed$).subscribe((event) => console.log(event));
 * ```
 * @param predicate Whether to keep a request.
 * @param options Where to count the requests left out.
 * @returns An operator from record batches (or parsed lines, as batches of one row) to record batches.
 */
export function filterRows(
  predicate: (row: RowView) => boolean,
  options: FilterRowsOptions = {},
): OperatorFunction<RecordBatch | ParsedLine, RecordBatch> {
  return (source) =>
    new Observable<RecordBatch>((subscriber) => {
      const counts = options.counts ?? { dropped: 0 };
      const kept = new FilteredBatch();
      const batcher = new ParsedBatcher();
      const view = new RowView();
      return source.subscribe({
        next: (item) => {
          const batch = batcher.of(item);
          const { count, status } = batch;
          view.batch = batch;
          let row = 0;
          // Rows before the first one dropped pass as they are.
          for (; row < count; row++) {
            if (status[row] === 0) continue;
            view.row = row;
            if (!predicate(view)) break;
          }
          if (row === count) return subscriber.next(batch);
          kept.start(batch);
          let invalid = 0;
          for (let r = 0; r < row; r++) kept.add(r, status[r] === 0 ? invalid++ : 0);
          counts.dropped++;
          for (row++; row < count; row++) {
            if (status[row] === 0) {
              kept.add(row, invalid++);
              continue;
            }
            view.row = row;
            if (predicate(view)) kept.add(row, 0);
            else counts.dropped++;
          }
          view.batch = undefined;
          if (kept.count > 0) subscriber.next(kept);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
