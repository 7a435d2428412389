/**
 * What the command line says about invalid lines: up to N examples on stderr
 * (`--show-invalid N`); when most invalid lines would parse with another named format, which
 * one; when not one line parsed, why (one line, exit 2); and when no line fell in the
 * `--since/--until` range, that (not a format problem: exit 0).
 */
import type { InvalidLine, SummaryEvent } from '../types.js';
import { describeReason } from '../invalidReasons.js';
import { FORMAT_NAMES, resolveFormat } from '../parse/formats.js';
import { escapeControl } from '../sinks/escapeControl.js';
import { looksGzipped } from './gzipFile.js';
import { UsageError } from './usageError.js';

/** Characters of a line shown in a message. */
const SHOWN = 200;

/** A line for a message: escaped, cut to about {@link SHOWN} characters. */
export function shownLine(line: string): string {
  const escaped = escapeControl(line.length > SHOWN ? line.slice(0, SHOWN) : line);
  return escaped.length > SHOWN || line.length > SHOWN ? `${escaped.slice(0, SHOWN)}…` : escaped;
}

/** Invalid lines, none parsed, after which a follower says so (once) rather than wait for the end. */
export const EARLY_WARNING_AFTER = 100;

/**
 * Calls `write` with the first `limit` invalid lines, one message each; remembers the first.
 * With `early`, once {@link EARLY_WARNING_AFTER} invalid lines came and the lines that arrived
 * with them held no request (`afterArrival(false)`), says once that nothing parses so far
 * (follow mode: the run may last long before its end).
 */
export class InvalidLines {
  first: InvalidLine | undefined;
  private shown = 0;
  private count = 0;
  /** The early warning is due, if the lines that arrived so far hold no request. */
  private due = false;

  constructor(
    private readonly limit: number,
    private readonly write: (message: string) => void,
    private readonly early?: { readonly source: string; readonly format: string },
  ) {}

  /** After lines arrived and went through the engine (`MonitorOptions.onProgress`): whether a request was ever seen. */
  afterArrival(sawRequest: boolean): void {
    if (!this.due || this.early === undefined || this.first === undefined) return;
    this.due = false;
    if (sawRequest) return;
    const { source, format } = this.early;
    const first = this.first;
    this.write(
      `the first ${EARLY_WARNING_AFTER} lines of ${source} are all invalid with --format ${format} (still following); the first (${describeReason(first.reason)}): ${shownLine(first.line)}`,
    );
  }

  readonly onInvalid = (line: InvalidLine): void => {
    this.first ??= line;
    this.count++;
    if (this.count === EARLY_WARNING_AFTER) this.due = true;
    if (this.shown >= this.limit) return;
    this.shown++;
    this.write(`invalid line (${describeReason(line.reason)}): ${shownLine(line.line)}`);
  };
}

type LineParser = ReturnType<typeof resolveFormat>;

/** Invalid lines tried with the other named formats, at most (the first ones). */
export const HINT_SAMPLE = 1000;

/**
 * Tries the first {@link HINT_SAMPLE} invalid lines (those the parser rejected, not the future
 * or overlong ones) with every other named format, to tell a user who chose the wrong
 * `--format` which one reads them.
 */
export class OtherFormats {
  private checked = 0;
  private readonly others: ReadonlyArray<{ readonly name: string; readonly parse: LineParser }>;
  private readonly parsed: number[];

  constructor(format: string) {
    this.others = FORMAT_NAMES.filter((name) => name !== format).map((name) => ({ name, parse: resolveFormat(name) }));
    this.parsed = this.others.map(() => 0);
  }

  readonly onInvalid = (line: InvalidLine): void => {
    if (this.checked >= HINT_SAMPLE || line.reason === 'future_time' || line.reason === 'overlong') return;
    this.checked++;
    for (let i = 0; i < this.others.length; i++) {
      if ((this.others[i] as { parse: LineParser }).parse(line.line).type === 'record') this.parsed[i] = (this.parsed[i] as number) + 1;
    }
  };

  /** The named format that reads most of the invalid lines tried (`auto` first on a tie), or undefined when none reads most. */
  best(): string | undefined {
    let best = -1;
    for (let i = 0; i < this.parsed.length; i++) if (best < 0 || (this.parsed[i] as number) > (this.parsed[best] as number)) best = i;
    if (best < 0 || this.checked === 0 || (this.parsed[best] as number) * 2 <= this.checked) return undefined;
    return this.others[best]?.name;
  }

  /**
   * The stderr line (without `apachescan: `) for a run in which some lines parsed and most of
   * the invalid ones would parse with another named format, or undefined.
   */
  message(summary: SummaryEvent, format: string): string | undefined {
    if (summary.parsed === 0 || summary.invalid === 0) return undefined;
    const other = this.best();
    if (other === undefined) return undefined;
    const tried = this.checked < summary.invalid ? ` (of the first ${this.checked} tried)` : '';
    return `${summary.invalid} of ${summary.lines} lines are invalid with --format ${shownFormat(format)}; most of them${tried} parse with --format ${other}: is that the log's format?`;
  }
}

/** A format for a message: a LogFormat string quoted, escaped and cut. */
function shownFormat(format: string): string {
  return FORMAT_NAMES.includes(format) ? format : `'${shownLine(format)}'`;
}

/**
 * The stderr line (without `apachescan: `) for a run with `--since`/`--until` in which no line
 * fell in the range, or undefined. Not a format problem (those lines parsed): exit 0.
 */
export function emptyRange(summary: SummaryEvent): string | undefined {
  const outside = summary.outOfRange ?? 0;
  if (summary.parsed > 0 || outside === 0 || summary.held !== undefined) return undefined;
  const invalid = summary.invalid > 0 ? `, ${summary.invalid} invalid` : '';
  return `no line in the range of --since/--until (${outside} ${outside === 1 ? 'line' : 'lines'} outside it${invalid})`;
}

/**
 * The error for a run in which lines were read but none parsed, or undefined when some did
 * (or there were none, or lines parsed but fell outside `--since/--until`: see {@link emptyRange}).
 * `first` is the first invalid line, if known; `firstText` the first non-blank line of the
 * input (parsed here again for the reason when `first` is unknown); `other` a named format that
 * reads most of the invalid lines (see {@link OtherFormats}).
 */
export function nothingParsed(
  summary: SummaryEvent,
  source: string,
  format: string,
  first: InvalidLine | undefined,
  firstText?: string,
  other?: string,
): UsageError | undefined {
  if (summary.lines === 0 || summary.parsed > 0 || (summary.outOfRange ?? 0) > 0) return undefined;
  const text = first?.line ?? firstText;
  const counted = `${summary.lines} ${summary.lines === 1 ? 'line' : 'lines'}`;
  if (text !== undefined && looksGzipped(text)) {
    return new UsageError(`nothing parsed in ${source}: it is gzip-compressed; read it with zcat FILE | apachescan -`);
  }
  let reason = first?.reason;
  if (reason === undefined && text !== undefined) {
    const parsed = resolveFormat(format)(text);
    reason = parsed.type === 'invalid' ? parsed.reason : undefined;
  }
  const why = text === undefined ? '' : `; the first${reason === undefined ? '' : ` (${describeReason(reason)})`}: ${shownLine(text)}`;
  const hint = other === undefined ? '' : `; most parse with --format ${other}`;
  return new UsageError(`nothing parsed in ${source} (${counted}, all invalid with --format ${format}${hint})${why}`);
}
