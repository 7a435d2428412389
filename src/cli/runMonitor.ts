import { Observable, fromEvent, merge, take } from 'rxjs';
import { monitor, type MonitorOptions } from '../monitor.js';
import { readLogFile, readLogStream } from '../readLogFile.js';
import type { MonitorEvent } from '../types.js';
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
  readonly consumers: ConsumerConfig;
  readonly follow: FollowConfig;
}

/** Builds the pipeline for a parsed command line, attaches the consumers, runs to the end. */
export async function runMonitor(config: RunConfig, io: CliIo): Promise<void> {
  const events$ = await openEvents(config, io);
  const consumers = await openConsumers(config.consumers, io);
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
  return openFollow(config.file, config.monitor, config.follow, stop$, io);
}
