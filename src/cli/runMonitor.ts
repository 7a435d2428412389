import { Observable, fromEvent, merge, take, takeUntil } from 'rxjs';
import { monitor } from '../monitor.js';
import { readLogStream } from '../readLogFile.js';
import { monitorFile, type MonitorFileOptions } from '../fast/monitorFile.js';
import type { AccessRecord, MonitorEvent } from '../types.js';
import { openInterval, type EngineState } from '../engineState.js';
import { checkReadableFile } from './checkFile.js';
import { closeConsumers, openConsumers, type Consumer, type ConsumerConfig } from './consumers.js';
import type { CliIo } from './io.js';
import { openFollow, type FollowConfig } from './openFollow.js';

export type { CliIo };

type LiveInterval = { start: number; hits: number };

export interface RunConfig {
  /** Path, or `-` for standard input. */
  readonly file: string;
  readonly once: boolean;
  readonly monitor: MonitorFileOptions;
  readonly consumers: Omit<ConsumerConfig, 'view'>;
  readonly follow: FollowConfig;
}

/** Builds the pipeline for a parsed command line, attaches the consumers, runs to the end. */
export async function runMonitor(config: RunConfig, io: CliIo): Promise<void> {
  let peek: () => LiveInterval | undefined = () => undefined;
  // Histograms need every record; only asked for when an output keeps them (the records flow
  // once subscribed, after the consumers are open).
  let recordSinks: Consumer[] = [];
  const monitorOptions: MonitorFileOptions = {
    ...config.monitor,
    ...(config.consumers.prometheus === undefined ? {} : { onRecord: (record: AccessRecord) => recordSinks.forEach((c) => c.record?.(record)) }),
    onState: (state: EngineState) => (peek = () => openInterval(state)),
    onPeek: (filePeek) => (peek = filePeek),
  };
  const events$ = await openEvents({ ...config, monitor: monitorOptions }, io);
  const view = {
    file: config.file === '-' ? 'standard input' : config.file,
    mode: config.once || config.file === '-' ? ('replay' as const) : ('follow' as const),
    threshold: config.monitor.threshold ?? 10,
    peek: () => peek(),
  };
  const consumers = await openConsumers({ ...config.consumers, view, buffered: config.once && config.file !== '-' }, io);
  recordSinks = consumers.filter((c) => c.record !== undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      const next = fanOut(consumers, (message) => void io.stderr.write(`apachescan: ${message}\n`));
      events$.subscribe({
        next,
        error: reject,
        complete: resolve,
      });
    });
  } finally {
    await closeConsumers(consumers);
  }
}

/**
 * Hands each event to every consumer. A consumer that throws is reported once and dropped;
 * the others, and the engine, go on.
 */
export function fanOut(consumers: readonly Consumer[], warn: (message: string) => void): (event: MonitorEvent) => void {
  const live = new Set(consumers);
  return (event) => {
    for (const consumer of live) {
      try {
        consumer.next(event);
      } catch (err) {
        live.delete(consumer);
        warn(`an output failed and was stopped: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
}

async function openEvents(config: RunConfig, io: CliIo): Promise<Observable<MonitorEvent>> {
  const stop$ = merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')).pipe(take(1));
  if (config.file === '-') {
    // A pipe may stay open (`tail -F access.log | apachescan -`): windows close by the clock
    // when it goes quiet, and Ctrl-C ends the input, so open windows and the summary come out.
    const idleTimeout = config.once ? undefined : (config.monitor.idleTimeout ?? Math.max(config.monitor.lateness ?? 10_000, 1000));
    return monitor(readLogStream(io.stdin).pipe(takeUntil(stop$)), { ...config.monitor, ...(idleTimeout === undefined ? {} : { idleTimeout }) });
  }
  if (config.once) {
    await checkReadableFile(config.file);
    // The whole-file engine: same events as monitor(readLogFile(file)), on bytes, in parallel.
    return monitorFile(config.file, config.monitor);
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
