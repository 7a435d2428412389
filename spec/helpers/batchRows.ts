import assert from 'node:assert/strict';
import { Observable } from 'rxjs';
import type { RecordBatch } from '../../src/parse/recordBatch.js';
import type { ParsedLine } from '../../src/types.js';

/**
 * Record batches as parsed lines, one per row, when each row's batch is handed over: an invalid row's `InvalidLine`, a record row's `recordAt`,
 * checked against the row's columns (time, status, bytes, host and section by dictionary).
 */
export function rowsOfBatches(batches: Observable<RecordBatch>): Observable<ParsedLine> {
  return new Observable<ParsedLine>((subscriber) =>
    batches.subscribe({
      next: (batch) => {
        let invalid = 0;
        for (let row = 0; row < batch.count; row++) {
          if (batch.status[row] === 0) {
            subscriber.next(batch.invalid[invalid++] as ParsedLine);
            continue;
          }
          const record = batch.recordAt(row);
          const columns = {
            time: batch.times[row],
            status: batch.status[row],
            bytes: batch.bytes[row],
            host: batch.hostDict[batch.hostIds[row] as number],
            section: batch.sectionDict[batch.sectionIds[row] as number],
          };
          assert.deepEqual(
            columns,
            { time: record.time, status: record.status, bytes: record.bytes, host: record.host, section: record.section },
            `row ${row}: columns and record agree`,
          );
          subscriber.next(record);
        }
        assert.equal(invalid, batch.invalid.length, 'one InvalidLine per invalid row');
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    }),
  );
}
