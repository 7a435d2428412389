import type { Readable } from 'node:stream';
import { lastValueFrom, ignoreElements, tap, defaultIfEmpty, type Observable } from 'rxjs';
import { monitor, type MonitorOptions } from '../monitor.js';
import { readLogFile, readLogStream } from '../readLogFile.js';
import { formatJson } from '../sinks/jsonFormat.js';
import { formatText } from '../sinks/textFormat.js';
import type { MonitorEvent } from '../types.js';
import { checkReadableFile } from './checkFile.js';

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

export interface RunConfig {
  /** Path, or `-` for standard input. */
  readonly file: string;
  readonly once: boolean;
  readonly output: 'text' | 'json';
  readonly monitor: MonitorOptions;
}

/** Builds the pipeline for a parsed command line and attaches the consumers. */
export async function runMonitor(config: RunConfig, io: CliIo): Promise<void> {
  const lines$: Observable<string> = config.file === '-' ? readLogStream(io.stdin) : await openFile(config.file);
  const format = config.output === 'json' ? formatJson : formatText;
  const events$ = monitor(lines$, config.monitor);
  await lastValueFrom(
    events$.pipe(
      tap((event: MonitorEvent) => io.stdout.write(`${format(event)}\n`)),
      ignoreElements(),
      defaultIfEmpty(undefined),
    ),
  );
}

async function openFile(path: string): Promise<Observable<string>> {
  await checkReadableFile(path);
  return readLogFile(path);
}
