/**
 * `monitorFile`: the whole engine over one file read to its end, built for throughput. It emits
 * the same events as `monitor(readLogFile(path), options)`, without a string or an object per
 * line: big reads into reused buffers, lines split on bytes, a byte parser for the named
 * formats (the string parser for the lines it is unsure of and for custom formats), windows
 * that count interned ids instead of keeping records, and optionally parsing workers.
 *
 * Data flow (files one concern each):
 *   chunkReader -> lineSplitter -> lineSink (byteLineParser | string parser) -> eventAssembler
 *   or, with workers: parseWorker x N (the same, up to recordBatch) -> workerSource -> eventAssembler
 *   eventAssembler = aggregateWindowing (over src/core/eventTimeWindowing) + windowTally
 *                    + evaluateAlert + the engine's own state and summary.
 */
import { close, fstat, open } from 'node:fs';
import { Observable, type Subscriber } from 'rxjs';
import type { MonitorEvent } from '../types.js';
import { readChunks } from './chunkReader.js';
import { EventAssembler } from './eventAssembler.js';
import { resolveFileOptions, type MonitorFileOptions, type ResolvedFileOptions } from './fileOptions.js';
import { createLineSink, type LineSink } from './lineSink.js';
import { ByteLineSplitter } from './lineSplitter.js';
import { parseInWorkers } from './workerSource.js';
import { toFileError } from '../errors.js';
import { monitor } from '../monitor.js';
import { readLogFile } from '../readLogFile.js';

export type { MonitorFileOptions } from './fileOptions.js';

/**
 * Interval statistics, alert transitions and a summary for the log file at `path`, read once
 * to its end: the events of `monitor(readLogFile(path), options)`, in the same order and with
 * the same values, several times faster. Options are validated when this is called (a bad
 * option throws `MonitorOptionsError` synchronously). `idleTimeout` has no effect (a file read
 * to its end never idles); with `maxFuture`, the clock (`scheduler.now()`) is read once per
 * chunk of lines rather than per line.
 *
 * @example
 * ```ts
 * import { monitorFile } from 'apachescan';
 * monitorFile('access.log', { threshold: 20 }).subscribe((e) => console.log(e));
 * ```
 * @param path the log file.
 * @param options `monitor`'s options; `startOffset` to read from a byte offset on (as if the
 *   file began there, like `readLines`' option); `chunkSize` bytes per read (default 1 MiB);
 *   `workers`: parsing worker threads, 0 to 8 or `'auto'` (see `MonitorFileOptions`).
 * @returns a cold Observable: each subscription reads the file; unsubscribing stops the reads.
 *   Errors opening or reading the file (ENOENT, EISDIR, EACCES...) arrive as a `FileError` carrying the errno `code`.
 */
export function monitorFile(path: string, options: MonitorFileOptions = {}): Observable<MonitorEvent> {
  const config = resolveFileOptions(options);
  // Per-record hooks need record objects, which the byte engine never builds: the reference pipeline.
  if (options.onRecord !== undefined) return monitor(readLogFile(path, { startOffset: config.startOffset }), options);
  return new Observable<MonitorEvent>((subscriber) => {
    const run = new FileRun(config, subscriber, path);
    open(path, 'r', (openError, fd) => {
      if (openError !== null) return run.error(openError);
      if (run.stopped) return closeQuietly(fd);
      fstat(fd, (statError, stats) => {
        if (statError !== null) {
          closeQuietly(fd);
          return run.error(statError);
        }
        if (run.stopped) return closeQuietly(fd);
        const regular = stats.isFile();
        const size = regular ? stats.size - config.startOffset : 0;
        const workers = !regular ? 0 : config.workers === 'auto' ? (size >= WORKERS_FROM ? AUTO_WORKERS : 0) : config.workers;
        run.stopReading = workers > 0 ? startWorkers(fd, workers, run) : startHere(fd, regular, run);
      });
    });
    return () => run.halt();
  });
}

/**
 * Files smaller than this are parsed on the calling thread: a worker costs 50-70 ms to start
 * and warm up, and saves ~10% of the time on 2 cores (measured: even at 220 MB, ahead at 450 MB).
 */
const WORKERS_FROM = 384 << 20;
/** Parsing workers for big files. Two were no faster than one on 2 cores, and less steady under load. */
const AUTO_WORKERS = 1;

/** One subscription: the assembler and how to stop. */
class FileRun {
  readonly events: EventAssembler;
  stopped = false;
  /** Set once reading has started. */
  stopReading: () => void = () => undefined;
  /** The sink fed on this thread, if any: told to stop between two lines. */
  sink: LineSink | undefined;

  constructor(
    readonly config: ResolvedFileOptions,
    private readonly subscriber: Subscriber<MonitorEvent>,
    private readonly path: string,
  ) {
    this.events = new EventAssembler(config.monitor, (event) => {
      subscriber.next(event);
      if (subscriber.closed) this.halt();
    });
    config.monitor.onState?.(this.events.state);
    config.onPeek?.(() => this.events.peek());
  }

  halt(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.sink !== undefined) this.sink.stopped = true;
    this.stopReading();
  }

  finish(): void {
    if (this.stopped) return;
    this.events.finish();
    this.subscriber.complete();
  }

  error(err: Error): void {
    this.subscriber.error(toFileError(err, this.path));
  }
}

/** Reading, parsing and aggregating on the calling thread. */
function startHere(fd: number, positioned: boolean, run: FileRun): () => void {
  const events = run.events;
  const sink = createLineSink(run.config.format, (hosts, sections) => {
    events.useNames(hosts, sections);
    hosts.onClear = () => events.beforeNewHostIds();
    sections.onClear = () => events.beforeNewSectionIds();
    return events;
  });
  run.sink = sink;
  const lines = new ByteLineSplitter(sink);
  const { chunkSize, startOffset } = run.config;
  return readChunks(fd, { chunkSize, start: startOffset, positioned, close: true }, {
    chunk: (bytes) => {
      run.events.tick();
      lines.push(bytes);
    },
    end: () => {
      lines.end();
      run.finish();
    },
    error: (err) => run.error(err),
  });
}

/** Reading and parsing in worker threads, aggregating here. */
function startWorkers(fd: number, workers: number, run: FileRun): () => void {
  const { chunkSize, startOffset, format } = run.config;
  return parseInWorkers({
    fd,
    start: startOffset,
    rangeSize: chunkSize,
    format,
    workers,
    events: run.events,
    stopped: () => run.stopped,
    complete: () => run.finish(),
    error: (err) => run.error(err),
  });
}

function closeQuietly(fd: number): void {
  close(fd, () => undefined);
}
