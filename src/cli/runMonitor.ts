import { Observable, fromEvent, merge, take } from 'rxjs';
import { monitor, type MonitorOptions } from '../monitor.js';
import { readLogFile, readLogStream } from '../readLogFile.js';
import type { MonitorEvent } from '../types.js';
import { openInterval, type EngineState } from '../engineState.js';
import { checkReadableFile } from './checkFile.js';
import { closeConsumers, openConsumers, type ConsumerConfig } from './consumers.js';
import type { CliIo } from './io.js';
import { openFollow, type FollowConfig } from './openFollow.js';

export type { CliIo };

export interface RunConfig {
  /** Path, or `-` for standard input. */
  readonly file: string;
  readonly once: boolean;
  readonly monitor: MonitorOptions;
  readonly consumers: Omit<ConsumerConfig, 'view'>;
  readonly follow: FollowConfig;
}

/** Builds the pipeline for a parsed command line, attaches the consumers, runs to the end. */
export async function runMonitor(config: RunConfig, io: CliIo): Promise<void> {
  let state: EngineState | undefined;
  const withState: RunConfig = { ...config, monitor: { ...config.monitor, onState: (s) => (state = s) } };
  const events$ = await openEvents(withState, io);
  const view = {
    file: config.file === '-' ? 'standard input' : config.file,
    mode: config.once || config.file === '-' ? ('replay' as const) : ('follow' as const),
    threshold: config.monitor.threshold ?? 10,
    peek: () => (state === undefined ? undefined : openInterval(state)),
  };
  const consumers = await openConsumers({ ...config.consumers, view }, io);
  try {
    await new Promise<void>((resolve, reject) => {
      events$.subscribe({
        next: (event) => {
          for (const consumer of consumers) consumer.next(event);
        },
        error: reject,
        complete: resolve,
      });
    });
  } finally {
    await closeConsumers(consumers);
  }
}

async function openEvents(config: RunConfig, io: CliIo): Promise<Observable<MonitorEvent>> {
  if (config.file === '-') return monitor(readLogStream(io.stdin), config.monitor);
  if (config.once) {
    await checkReadableFile(config.file);
    return monitor(readLogFile(config.file), config.monitor);
  }
  const stop$ = merge(fromEvent(process, 'SIGINT'), fromEvent(process, 'SIGTERM')).pipe(take(1));
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
