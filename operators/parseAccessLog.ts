import { Observable, type OperatorFunction } from 'rxjs';
import { SharedParsers } from '../src/parse/sharedParsers.js';
import type { RecordBatch } from '../src/parse/recordBatch.js';
import type { LineChunk } from '../src/source/lineChunk.js';

/** Options of `parseAccessLog`. */
export interface ParseAccessLogOptions {
  /**
   * `auto` (default: Common, Combined and Common-prefixed lines with extra fields, and
   * vhost_combined lines, whose client is the second field),
   * `common`, `combined`, `vhost_combined`, or an Apache `LogFormat` string.
   */
  readonly format?: string | undefined;
}

/**
 * Parses access-log lines into record batches: the parsed lines in columns (`RecordBatch`:
 * times, statuses, sizes, interned hosts and sections), a line that does not parse as a row
 * holding its `InvalidLine`. A bad line is a row, never an error; empty and whitespace-only
 * lines make no row.
 *
 * Lines come as strings (any `Observable<string>`: a batch of one row each) or as the line
 * chunks our sources give (`readLogFile`, `readLogStream`, follow mode: byte ranges, read
 * without a string per line, up to 4096 rows a batch). Both give the same rows.
 *
 * A batch is lent: it is valid during the `next` call that delivers it, and reused after. Take
 * what you need inside that call (`tap`, `map`, `filter` and our operators do), or copy it:
 * `toRecords()` turns rows into `ParsedLine` objects.
 *
 * ```
 * source:  --a--b--_--c--|     a, c: log lines, b: garbage, _: blank line
 * output:  --R--I-----R--|     batches of one row: R a record, I an invalid line
 * ```
 *
 * @example
 * ```ts
 * import { readLogFile } from 'apachescan';
 * import { parseAccessLog, toRecords } from 'apachescan/operators';
 * readLogFile('access.log').pipe(parseAccessLog({ format: 'combined' }), toRecords())
 *   .subscribe((p) => p.type === 'record' && console.log(p.section, p.status));
 * ```
 * @param options `format`: a format name or `LogFormat` string; compiled here, once, so a
 *   bad format throws `LogFormatError` while the pipeline is built, not inside the stream.
 * @returns An operator from lines (a trailing `\r` is ignored) or line chunks to record batches.
 */
export function parseAccessLog(options: ParseAccessLogOptions = {}): OperatorFunction<string | LineChunk, RecordBatch> {
  // Compiled now: a bad format throws here. Subscriptions share a few parsers (a merge of
  // thousands of files subscribes to them all at once).
  const parsers = new SharedParsers(options.format ?? 'auto');
  return (source) =>
    new Observable<RecordBatch>((subscriber) => {
      const emit = (batch: RecordBatch): void => subscriber.next(batch);
      return source.subscribe({
        next: (lines) => parsers.parse(lines, emit),
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
