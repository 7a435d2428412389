import { fromEvent, merge, take, tap } from 'rxjs';
import { monitor, type MonitorOptions } from '../engine/monitor.js';
import { readLogStream } from '../source/readLogFile.js';
import type { SummaryEvent } from '../types.js';
import { liveInterval } from './liveInterval.js';
import { DELIVERY_HINTS, openSinks, type SinksConfig } from './openSinks.js';
import { connectSinks } from '../sinks/connectSinks.js';
import { sinkOutbox, type SinksOutbox } from '../sinks/sinkOutbox.js';
import type { MonitorFilesOptions } from '../engine/monitorFiles.js';
import type { Sink, SinkReport } from '../sinks/sink.js';
import { DeliveryError } from './deliveryError.js';
import type { CliIo } from './io.js';
import { escapeControl } from '../sinks/escapeControl.js';
import { firstLineOf } from './firstLine.js';
import { InvalidLines, OtherFormats, emptyRange, nothingParsed } from './invalidReport.js';
import { openFiles, type Opened } from './openFiles.js';
import { descriptorChunks } from '../source/descriptorChunks.js';

export type { CliIo };

/** `--checkpoint PATH`, `--no-checkpoint`, `--reset`, `--from-end`. */
export interface FollowConfig {
  /** Checkpoint file; `false` for none; undefined for the default under $XDG_STATE_HOME. */
  readonly checkpoint: string | false | undefined;
  /** Ignore a saved checkpoint. */
  readonly reset: boolean;
  readonly fromEnd: boolean;
}

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
  /** `--parse-workers N`. */
  readonly parseWorkers?: number;
  readonly once: boolean;
  readonly monitor: MonitorOptions & Pick<MonitorFilesOptions, 'outbox'>;
  readonly sinks: Omit<SinksConfig, 'view'>;
  readonly follow: FollowConfig;
  /** Invalid lines printed as examples on stderr (`--show-invalid N`). */
  readonly showInvalid?: number;
}

/**
 * Turns a parsed command line into the one composition: a source (the files, or standard
 * input), the engine, and the sinks it chose; runs it to the end. Rejects with a
 * `DeliveryError` (one line per output) when an output did not deliver everything.
 */
export async function runMonitor(config: RunConfig, io: CliIo): Promise<void> {
  const source = config.file === '-' ? 'standard input' : escapeControl(config.file);
  // The live view's "current interval" and "last line Ns ago", pushed by the engine (onProgress).
  const live = liveInterval(() => Date.now());
  const early = { source, format: config.monitor.format ?? 'auto' };
  const invalid = new InvalidLines(
    config.showInvalid ?? 0,
    (message) => void io.stderr.write(`apachescan: ${message}\n`),
    config.once ? undefined : early,
  );
  const format = config.monitor.format ?? 'auto';
  const others = new OtherFormats(format);
  // Histograms need every request; only asked for when an output keeps them (the requests flow
  // once subscribed, after the sinks are open).
  let requestSinks: Sink[] = [];
  const onRequest = (bytes: number, duration: number | undefined): void => {
    for (const c of requestSinks) c.request?.(bytes, duration);
  };
  // Outputs' units not acknowledged yet, kept in the checkpoint (the sinks open after the engine is set up).
  let outbox: SinksOutbox | undefined;
  const monitorOptions: MonitorOptions & Pick<MonitorFilesOptions, 'outbox'> = {
    ...config.monitor,
    ...(config.sinks.prometheus === undefined ? {} : { onRequest }),
    onProgress: (progress) => {
      live.onProgress(progress);
      if (progress.arrival) invalid.afterArrival(progress.newest !== undefined);
    },
    onInvalid: (line) => {
      invalid.onInvalid(line);
      others.onInvalid(line);
    },
    outbox: {
      units: () => outbox?.units() ?? {},
      resume: (units) => outbox?.resume(units),
      repeated: (event) => outbox?.repeated(event),
    },
  };
  const opened = await openEvents({ ...config, monitor: monitorOptions }, io);
  const view = {
    file: config.files.length > 1 ? `${config.files.length} logs` : source,
    // Standard input without --once is followed: it may stay open (tail -F log | apachescan -).
    mode: config.once ? ('replay' as const) : ('follow' as const),
    threshold: config.monitor.threshold ?? 10,
    peek: live.peek,
  };
  const sinks = await openSinks({ ...config.sinks, view, buffered: config.once && config.file !== '-' }, io);
  let summary: SummaryEvent | undefined;
  requestSinks = sinks.filter((c) => c.request !== undefined);
  outbox = sinkOutbox(sinks);
  // Resumed from a checkpoint while firing: outputs that must keep saying so (Alertmanager forgets).
  if (opened.firing !== undefined) for (const sink of sinks) sink.resumeFiring?.(opened.firing);
  for (const fired of opened.firingRules ?? []) for (const sink of sinks) sink.resumeFiring?.(fired);
  const reports = await connectSinks(opened.events$.pipe(tap((event) => void (event.type === 'summary' && (summary = event)))), sinks, {
    onWarning: (message) => void io.stderr.write(`apachescan: ${escapeControl(message)}\n`),
  });
  // One rule for every output: what was not delivered is one line each, and exit 1.
  const undelivered = reports.filter((r) => r.undelivered > 0);
  if (undelivered.length > 0) throw new DeliveryError(undelivered.map(deliveryLine).join('\n'));
  // Not when records were seen but are not in the summary (held in open windows for the next run).
  if (summary === undefined) return;
  const note = emptyRange(summary) ?? others.message(summary, format);
  if (note !== undefined) io.stderr.write(`apachescan: ${note}\n`);
  if (summary.parsed === 0 && summary.lines > 0 && summary.held === undefined) {
    const firstText = invalid.first === undefined && config.file !== '-' ? await firstLineOf(config.file) : undefined;
    const error = nothingParsed(summary, source, format, invalid.first, firstText, others.best());
    if (error !== undefined) throw error;
  }
}

/** The stderr line (without `apachescan: `) for an output that did not deliver everything. */
function deliveryLine(report: SinkReport): string {
  const what = report.detail ?? `${report.name}: ${report.undelivered} not delivered`;
  return `${what}${DELIVERY_HINTS[report.name] ?? ''}`;
}

/** The source the command line names, through the engine: standard input, or the files (one or several). */
async function openEvents(config: RunConfig, io: CliIo): Promise<Opened> {
  const stop$ = merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')).pipe(take(1));
  if (config.file === '-') {
    // A pipe may stay open (`tail -F access.log | apachescan -`): windows close by the clock
    // when it goes quiet, and Ctrl-C ends the input, so open windows and the summary come out.
    const idleTimeout = config.once ? undefined : (config.monitor.idleTimeout ?? Math.max(config.monitor.lateness ?? 10_000, 1000));
    const lines = io.stdinFd === undefined ? readLogStream(io.stdin, stop$) : descriptorChunks(io.stdinFd, () => io.stdin, stop$);
    return { events$: monitor(lines, { ...config.monitor, ...(idleTimeout === undefined ? {} : { idleTimeout }) }) };
  }
  if (!config.once && config.follow.checkpoint !== false) writeThrough(io.stdout);
  return openFiles(
    { ...config, checkpoint: config.follow.checkpoint, reset: config.follow.reset, fromEnd: config.follow.fromEnd },
    config.monitor,
    stop$,
    io,
  );
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
