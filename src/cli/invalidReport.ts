/**
 * What the command line says about invalid lines: up to N examples on stderr
 * (`--show-invalid N`), and, when not one line parsed, why (one line, exit 2).
 */
import type { InvalidLine, SummaryEvent } from '../types.js';
import { describeReason } from '../invalidReasons.js';
import { resolveFormat } from '../parse/formats.js';
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
    this.write(`the first ${EARLY_WARNING_AFTER} lines of ${source} are all invalid with --format ${format} (still following); the first (${describeReason(first.reason)}): ${shownLine(first.line)}`);
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

/**
 * The error for a run in which lines were read but none parsed, or undefined when some did
 * (or there were none). `first` is the first invalid line, if known; `firstText` the first
 * non-blank line of the input (parsed here again for the reason when `first` is unknown).
 */
export function nothingParsed(summary: SummaryEvent, source: string, format: string, first: InvalidLine | undefined, firstText?: string): UsageError | undefined {
  if (summary.lines === 0 || summary.parsed > 0) return undefined;
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
  return new UsageError(`nothing parsed in ${source} (${counted}, all invalid with --format ${format})${why}`);
}
