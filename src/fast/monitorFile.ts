/**
 * `monitorFile`: the whole engine over one file read to its end, built for throughput. It emits
 * the same events as `monitor(readLogFile(path), options)`, without a string or an object per
 * line: big reads into reused buffers, lines split on bytes, a byte parser for the named
 * formats (the string parser for the lines it is unsure of and for custom formats), and
 * windows that keep counts instead of records.
 */
import { close, fstat, open } from 'node:fs';
import { Observable, type Subscriber } from 'rxjs';
import type { MonitorEvent } from '../types.js';
import { readChunks } from './chunkReader.js';
import { EventAssembler } from './eventAssembler.js';
import { resolveFileOptions, type MonitorFileOptions, type ResolvedFileOptions } from './fileOptions.js';
import { createLineSink, type LineSink } from './lineSink.js';
import { ByteLineSplitter } from './lineSplitter.js';
import { AssemblerTarget } from './recordTarget.js';
import { parseInWorker } from './workerSource.js';

export type { MonitorFileOptions } from './fileOptions.js';

/**
 * Interval statistics, alert transitions and a summary for the log file at `path`, read once
 * to its end: the events of `monitor(readLogFile(path), options)`, in the same order and with
 * the same values, many times faster. Options are validated when this is called (a bad option
 * throws `MonitorOptionsError` synchronously); `idleTimeout` and `scheduler` have no effect, as a
 * file read to its end never idles.
 *
 * @example
 * ```ts
 * import { monitorFile } from 'apachescan';
 * monitorFile('access.log', { threshold: 20 }).subscribe((e) => console.log(e));
 * ```
 * @param path the log file.
 * @param options `monitor`'s options; `startOffset` to read from a byte offset on (as if the
 *   file began there); `chunkSize` bytes per read (default 1 MiB).
 * @returns a cold Observable: each subscription reads the file; unsubscribing stops the reads.
 *   Errors opening or reading the file (ENOENT, EISDIR, EACCES...) arrive as an error carrying the errno `code`.
 */
export function monitorFile(path: string, options: MonitorFileOptions = {}): Observable<MonitorEvent> {
  const config = resolveFileOptions(options);
  return new Observable<MonitorEvent>((subscriber) => {
    const run = new FileRun(config, subscriber);
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
        const inWorker = regular && (config.worker === true || (config.worker === 'auto' && size >= WORKER_FROM));
        run.stopReading = inWorker ? startWorker(fd, run) : startHere(fd, regular, run);
      });
    });
    return () => run.halt();
  });
}

/** Files smaller than this are parsed on the calling thread (a worker takes some 30 ms to start). */
const WORKER_FROM = 32 << 20;

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
  ) {
    this.events = new EventAssembler(config.monitor, (event) => {
      subscriber.next(event);
      if (subscriber.closed) this.halt();
    });
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
    this.subscriber.error(err);
  }
}

/** Reading, parsing and aggregating on the calling thread. */
function startHere(fd: number, positioned: boolean, run: FileRun): () => void {
  const sink = createLineSink(run.config.format, (hosts, sections) => new AssemblerTarget(run.events, hosts, sections));
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

/** Reading and parsing in a worker thread, aggregating here. */
function startWorker(fd: number, run: FileRun): () => void {
  const { chunkSize, startOffset, format } = run.config;
  return parseInWorker({
    fd,
    start: startOffset,
    chunkSize,
    format,
    events: run.events,
    stopped: () => run.stopped,
    complete: () => run.finish(),
    error: (err) => run.error(err),
  });
}

function closeQuietly(fd: number): void {
  close(fd, () => undefined);
}
