import { Observable, type OperatorFunction } from 'rxjs';
import type { ParsedLine } from '../src/types.js';
import { batchesOf, withBatches } from '../src/core/batches.js';
import { isBlankLine } from '../src/parse/blank.js';
import { BatchParser } from '../src/parse/batchParser.js';
import { resolveFormat } from '../src/parse/formats.js';
import type { RecordBatch } from '../src/parse/recordBatch.js';
import type { LineChunk } from '../src/source/lineChunk.js';

export { compileLogFormat, type CompileOptions, type LineParser } from '../src/parse/logFormat.js';
export { FORMAT_NAMES, LOG_FORMATS, resolveFormat } from '../src/parse/formats.js';
export { LogFormatError, MonitorOptionsError } from '../src/errors.js';
export { sectionOf } from '../src/parse/section.js';
export { parseApacheTime } from '../src/parse/apacheTime.js';

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
 * Parses access-log lines into `AccessRecord`s, and lines that do not parse into `InvalidLine`s.
 *
 * A bad line is a value, never an error; empty and whitespace-only lines emit nothing.
 *
 * Batches (src/core/batches.ts): the result also offers the parsed lines as record batches
 * (columns, no object per line), which `eventTimeWindows` folds; they come from the source's
 * line chunks when it has them (`readLogFile`, `readLogStream`, follow mode), else one batch
 * per line. The named formats are read there on bytes; every row holds what the string parser
 * makes of its line.
 *
 * ```
 * source:  --a--b--_--c--|     a, c: log lines, b: garbage, _: blank line
 * output:  --R--I-----R--|     R: AccessRecord, I: InvalidLine
 * ```
 *
 * @example
 * ```ts
 * import { parseAccessLog } from 'apachescan/operators';
 * lines$.pipe(parseAccessLog({ format: 'combined' }))
 *   .subscribe((p) => p.type === 'record' && console.log(p.section, p.status));
 * ```
 * @param options `format`: a format name or `LogFormat` string; compiled here, once, so a
 *   bad format throws `LogFormatError` while the pipeline is built, not inside the stream.
 * @returns An operator from lines (a trailing `\r` is ignored) to parsed lines.
 */
export function parseAccessLog(options: ParseAccessLogOptions = {}): OperatorFunction<string, ParsedLine> {
  const format = options.format ?? 'auto';
  const parse = resolveFormat(format);
  return (source) => {
    const values = new Observable<ParsedLine>((subscriber) =>
      source.subscribe({
        next: (line) => {
          if (!isBlankLine(line)) subscriber.next(parse(line));
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
    const chunks = batchesOf<LineChunk>(source);
    const batches = new Observable<RecordBatch>((subscriber) => {
      const parser = new BatchParser(format);
      const emit = (batch: RecordBatch): void => subscriber.next(batch);
      const error = (err: unknown): void => subscriber.error(err);
      const complete = (): void => subscriber.complete();
      if (chunks !== undefined) {
        const next = (chunk: LineChunk): void => parser.parseChunk(chunk, emit);
        return chunks.subscribe({ next, error, complete });
      }
      return source.subscribe({
        next: (line) => {
          const batch = parser.parseLine(line);
          if (batch !== undefined) subscriber.next(batch);
        },
        error,
        complete,
      });
    });
    return withBatches(values, batches);
  };
}
