import { Observable, type OperatorFunction } from 'rxjs';
import type { ParsedLine } from '../src/types.js';
import { isBlankLine } from '../src/parse/blank.js';
import { resolveFormat } from '../src/parse/formats.js';

export { compileLogFormat, type CompileOptions, type LineParser } from '../src/parse/logFormat.js';
export { FORMAT_NAMES, LOG_FORMATS, resolveFormat } from '../src/parse/formats.js';
export { LogFormatError, MonitorOptionsError } from '../src/errors.js';
export { sectionOf } from '../src/parse/section.js';
export { parseApacheTime } from '../src/parse/apacheTime.js';

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
  const parse = resolveFormat(options.format ?? 'auto');
  return (source) =>
    new Observable<ParsedLine>((subscriber) =>
      source.subscribe({
        next: (line) => {
          if (!isBlankLine(line)) subscriber.next(parse(line));
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}
