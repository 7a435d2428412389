import { Observable, catchError, fromEvent, merge, take, tap, throwError } from 'rxjs';
import { monitor } from '../monitor.js';
import { readLogStream } from '../readLogFile.js';
import { monitorFile, type MonitorFileOptions } from '../monitorFile.js';
import type { MonitorEvent, SummaryEvent } from '../types.js';
import type { EngineState } from '../engineState.js';
import { peekWithIdle, type LivePeek } from './lastLineClock.js';
import { checkReadableFile } from './checkFile.js';
import { DELIVERY_HINTS, openSinks, type SinksConfig } from './openSinks.js';
import { connectSinks } from '../sinks/connectSinks.js';
import type { Sink, SinkReport } from '../sinks/sink.js';
import { DeliveryError } from './deliveryError.js';
import type { CliIo } from './io.js';
import { openFollow, type FollowConfig } from './openFollow.js';
import { escapeControl } from '../sinks/escapeControl.js';
import { firstLineOf } from './firstLine.js';
import { isGzipFile } from './gzipFile.js';
import { InvalidLines, nothingParsed } from './invalidReport.js';
import { UsageError } from './usageError.js';
import { openFiles, wantsFiles } from './openFiles.js';
import { readAnyLogFile } from '../source/readAnyLogFile.js';
import { lineSource } from '../source/chunkLines.js';
import { descriptorChunks } from '../source/descriptorChunks.js';

export type { CliIo };

type LiveInterval = LivePeek;

export interface RunConfig {
  /** Path, or `-` for standard input. */
  readonly file: string;
  /** Every file or glob named (`file` is the first). */
  readonly files: readonly string[];
  /** Read rotated siblings first (`--history`). */
  readonly history: boolean;
  /** `--since` / `--until`, ms. */
  readonly since?: number;
  readonly until?: number;
  /** `--by file|vhost`. */
  readonly by?: 'file' | 'vhost';
  readonly once: boolean;
  readonly monitor: MonitorFileOptions;
  readonly sinks: Omit<SinksConfig, 'view'>;
  readonly follow: FollowConfig;
  /** Invalid lines printed as examples on stderr (`--show-invalid N`). */
  readonly showInvalid?: number;
}

/**
 * Builds the pipeline for a parsed command line, attaches the sinks, runs to the end. Rejects
 * with a `DeliveryError` (one line per output) when an output did not deliver everything.
 */
export async function runMonitor(config: RunConfig, io: CliIo): Promise<void> {
  let peek: () => LiveInterval | undefined = () => undefined;
  let engine: EngineState | undefined;
  const source = config.file === '-' ? 'standard input' : escapeControl(config.file);
  const early = { source, format: config.monitor.format ?? 'auto', nothingParsed: () => engine !== undefined && engine.totals.parsed === 0 && engine.windowing.maxTime === -Infinity };
  const invalid = new InvalidLines(config.showInvalid ?? 0, (message) => void io.stderr.write(`apachescan: ${message}\n`), config.once ? undefined : early);
  // Histograms need every record; only asked for when an output keeps them (the records flow
  // once subscribed, after the sinks are open).
  let requestSinks: Sink[] = [];
  let resumeSinks: Sink[] = [];
  const monitorOptions: MonitorFileOptions = {
    ...config.monitor,
    ...(config.sinks.prometheus === undefined ? {} : { onRequest: (bytes: number, duration: number | undefined) => requestSinks.forEach((c) => c.request?.(bytes, duration)) }),
    onState: (state: EngineState) => {
      engine = state;
      peek = peekWithIdle(state, () => Date.now());
      // Resumed from a checkpoint while firing (the state is handed over as the run starts).
      const { fired } = state.alert;
      if (fired !== undefined) for (const sink of resumeSinks) sink.resumeFiring?.(fired);
    },
    onPeek: (filePeek) => (peek = filePeek),
    onInvalid: invalid.onInvalid,
  };
  const events$ = await openEvents({ ...config, monitor: monitorOptions }, io);
  const view = {
    file: config.files.length > 1 ? `${config.files.length} logs` : source,
    // Standard input without --once is followed: it may stay open (tail -F log | apachescan -).
    mode: config.once ? ('replay' as const) : ('follow' as const),
    threshold: config.monitor.threshold ?? 10,
    peek: () => peek(),
  };
  const sinks = await openSinks({ ...config.sinks, view, buffered: config.once && config.file !== '-' }, io);
  let summary: SummaryEvent | undefined;
  requestSinks = sinks.filter((c) => c.request !== undefined);
  resumeSinks = sinks.filter((c) => c.resumeFiring !== undefined);
  const reports = await connectSinks(
    events$.pipe(tap((event) => void (event.type === 'summary' && (summary = event)))),
    sinks,
    { onWarning: (message) => void io.stderr.write(`apachescan: ${escapeControl(message)}\n`) },
  );
  // One rule for every output: what was not delivered is one line each, and exit 1.
  const undelivered = reports.filter((r) => r.undelivered > 0);
  if (undelivered.length > 0) throw new DeliveryError(undelivered.map(deliveryLine).join('\n'));
  // Not when records were seen but are not in the summary (held in open windows for the next run).
  if (summary !== undefined && summary.parsed === 0 && summary.lines > 0 && (engine === undefined || engine.windowing.maxTime === -Infinity)) {
    const firstText = invalid.first === undefined && config.file !== '-' ? await firstLineOf(config.file) : undefined;
    const error = nothingParsed(summary, source, config.monitor.format ?? 'auto', invalid.first, firstText);
    if (error !== undefined) throw error;
  }
}

/** The stderr line (without `apachescan: `) for an output that did not deliver everything. */
function deliveryLine(report: SinkReport): string {
  const what = report.detail ?? `${report.name}: ${report.undelivered} not delivered`;
  return `${what}${DELIVERY_HINTS[report.name] ?? ''}`;
}

async function openEvents(config: RunConfig, io: CliIo): Promise<Observable<MonitorEvent>> {
  const stop$ = merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')).pipe(take(1));
  if (config.file === '-') {
    // A pipe may stay open (`tail -F access.log | apachescan -`): windows close by the clock
    // when it goes quiet, and Ctrl-C ends the input, so open windows and the summary come out.
    const idleTimeout = config.once ? undefined : (config.monitor.idleTimeout ?? Math.max(config.monitor.lateness ?? 10_000, 1000));
    const lines = io.stdinFd === undefined ? readLogStream(io.stdin, stop$) : lineSource(descriptorChunks(io.stdinFd, () => io.stdin, stop$));
    return monitor(lines, { ...config.monitor, ...(idleTimeout === undefined ? {} : { idleTimeout }) });
  }
  const filesConfig = { ...config, checkpoint: config.follow.checkpoint, reset: config.follow.reset, fromEnd: config.follow.fromEnd };
  if (wantsFiles(filesConfig)) {
    if (!config.once && config.follow.checkpoint !== false) writeThrough(io.stdout);
    return openFiles(filesConfig, config.monitor, stop$, io);
  }
  if (config.once) {
    await checkReadableFile(config.file);
    // A compressed log: streamed through zlib (src/source/gzipFile.ts) into the same engine.
    if (await isGzipFile(config.file)) {
      return monitor(readAnyLogFile(config.file), config.monitor).pipe(
        catchError((err: Error) => throwError(() => (/^cannot decompress /.test(err.message) ? new UsageError(escapeControl(err.message)) : err))),
      );
    }
    // monitor(readLogFile(file)): the operators fold the file's line chunks (invalid lines keep their text for --show-invalid).
    return monitorFile(config.file, config.monitor);
  }
  if (await isGzipFile(config.file)) {
    throw new UsageError(`${escapeControl(config.file)} is gzip-compressed and cannot be followed; read it with --once (or zcat FILE | apachescan -)`);
  }
  if (config.follow.checkpoint !== false) writeThrough(io.stdout);
  return openFollow(config.file, config.monitor, config.follow, stop$, io);
}

/**
 * The checkpoint is saved right after events are written, as a record that they were reported.
 * Node writes to a pipe asynchronously: while the reader lags, events queue in memory, and a
 * kill -9 would lose events the checkpoint already counts. Blocking writes (what Node does for
 * terminals) put them in the pipe before `write` returns; a slow reader then slows us down.
 */
function writeThrough(stream: object): void {
  const handle = (stream as { _handle?: { setBlocking?: (blocking: boolean) => unknown } })._handle;
  handle?.setBlocking?.(true);
}
