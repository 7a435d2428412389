import type { MonitorEvent } from '../types.js';
import { formatJson } from './jsonFormat.js';
import { formatText } from './textFormat.js';
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

/**
 * The plain outputs: one line per event, as text or NDJSON (the CLI's `--once` and piped
 * output). Its report counts the events written; writing to the stream is not checked (the
 * stream reports its own errors).
 */
export function createTextSink(options: TextSinkOptions): Sink {
  const { stream, buffered = false } = options;
  const format = options.format === 'json' ? formatJson : formatText;
  let pending = '';
  let written = 0;
  let closed = false;
  const flush = (): void => {
    if (pending !== '') stream.write(pending);
    pending = '';
  };
  return {
    next(event: MonitorEvent) {
      if (closed) return;
      written++;
      if (!buffered) return void stream.write(`${format(event)}\n`);
      pending += `${format(event)}\n`;
      if (pending.length >= BLOCK || event.type !== 'stats') flush();
    },
    close(): Promise<SinkReport> {
      closed = true;
      flush();
      return Promise.resolve({ name: options.format, delivered: written, undelivered: 0 });
    },
  };
}
