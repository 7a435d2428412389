import type { MonitorEvent, StatsEvent } from '../types.js';
import { formatJson } from './jsonFormat.js';
import { formatEmptyRun, formatText, isEmptyInterval } from './textFormat.js';
import type { Sink, SinkReport } from './sink.js';

/** The part of a writable stream the text sink uses. */
export interface TextStream {
  /** Writes a chunk of lines (its return value is ignored). */
  write(chunk: string): unknown;
}

/** Options of {@link createTextSink}. */
export interface TextSinkOptions {
  /** Where the lines go (`process.stdout` fits). */
  readonly stream: TextStream;
  /** `text`: the stable, human-readable lines (`formatText`); `json`: one JSON object per line (`formatJson`). */
  readonly format: 'text' | 'json';
  /**
   * Write in blocks of about 64 KiB instead of once per event, for a fast replay of a file.
   * Alerts and the summary are written at once, with what is pending before them. Default false.
   */
  readonly buffered?: boolean;
}

const BLOCK = 64 * 1024;

/** Empty intervals (emitted or skipped) not printed yet: the text output prints a run as one line. */
interface EmptyRun {
  start: number;
  end: number;
  count: number;
  /** The run's event while it is a single empty interval (printed as usual then). */
  single: StatsEvent | undefined;
}

/**
 * The plain outputs: one line per event, as text or NDJSON (the CLI's `--once` and piped
 * output). Its report counts the events written; writing to the stream is not checked (the
 * stream reports its own errors).
 *
 * Text only: a run of two or more empty intervals (no hit, no invalid or late line; see
 * `isEmptyInterval`), with the intervals skipped across a gap (`skipped`), is one line
 * (`formatEmptyRun`) instead of one `0 hits` line each. A run is known to be over only when
 * something else comes: it is printed before the next non-empty interval, alert or summary,
 * and at close. NDJSON has every event.
 */
export function createTextSink(options: TextSinkOptions): Sink {
  const { stream, buffered = false } = options;
  const text = options.format !== 'json';
  const format = text ? formatText : formatJson;
  let pending = '';
  let written = 0;
  let closed = false;
  let run: EmptyRun | undefined;
  const flush = (): void => {
    if (pending !== '') stream.write(pending);
    pending = '';
  };
  const write = (line: string, urgent: boolean): void => {
    if (!buffered) return void stream.write(`${line}\n`);
    pending += `${line}\n`;
    if (pending.length >= BLOCK || urgent) flush();
  };
  /** Adds `count` empty intervals covering `[start, end)` to the run. */
  const extend = (start: number, end: number, count: number, event?: StatsEvent): void => {
    if (run === undefined) run = { start, end, count, single: event };
    else {
      run.end = end;
      run.count += count;
      run.single = undefined;
    }
  };
  const endRun = (): void => {
    if (run === undefined) return;
    const { start, end, count, single } = run;
    run = undefined;
    write(single !== undefined ? formatText(single) : formatEmptyRun(start, end, count), false);
  };
  return {
    next(event: MonitorEvent) {
      if (closed) return;
      written++;
      if (!text || event.type !== 'stats') {
        if (text) endRun();
        return write(format(event), event.type !== 'stats');
      }
      const { skipped = 0, ...rest } = event;
      const length = event.end - event.start;
      if (skipped > 0) extend(event.start - skipped * length, event.start, skipped);
      if (isEmptyInterval(event)) return extend(event.start, event.end, 1, skipped > 0 ? undefined : event);
      endRun();
      write(formatText(rest), false);
    },
    close(): Promise<SinkReport> {
      closed = true;
      endRun();
      flush();
      return Promise.resolve({ name: options.format, delivered: written, undelivered: 0 });
    },
  };
}
