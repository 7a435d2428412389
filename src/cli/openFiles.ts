import { catchError, throwError, type Observable } from 'rxjs';
import { filesLog, monitorFiles } from '../monitorFiles.js';
import { settingsOf, type MonitorOptions } from '../monitor.js';
import { defaultCheckpointPath } from '../checkpoint/checkpointPath.js';
import { loadCheckpoint } from '../checkpoint/checkpointStore.js';
import { incompatibility, isFollowCheckpoint } from '../follow/checkpointData.js';
import { isFilesCheckpoint, type FilesCheckpoint } from '../follow/filesProgress.js';
import { expandGlob, hasGlob } from '../source/glob.js';
import type { MonitorEvent } from '../types.js';
import { checkReadableFile } from './checkFile.js';
import type { CliIo } from './io.js';
import { UsageError } from './usageError.js';

export interface FilesConfig {
  readonly files: readonly string[];
  readonly once: boolean;
  readonly history: boolean;
  readonly since?: number;
  readonly until?: number;
  readonly by?: 'file' | 'vhost';
  /** `--checkpoint PATH`, `--no-checkpoint` (false), or the default (undefined). */
  readonly checkpoint: string | false | undefined;
  /** `--reset`: ignore a saved checkpoint. */
  readonly reset: boolean;
  /** `--from-end`: files there at the start are read from their end. */
  readonly fromEnd: boolean;
}

/** Whether the command line asks for the many-files path (several files, a glob, history or a time range). */
export function wantsFiles(config: FilesConfig): boolean {
  return config.files.length > 1 || config.files.some(hasGlob) || config.history || config.since !== undefined || config.until !== undefined || config.by !== undefined;
}

/**
 * Several files (or globs, history, a time range): one `monitorFiles` over them. Replay
 * checks every file first (a pattern matching nothing, a missing or unreadable file: one
 * line, exit 2); follow mode waits for files that do not exist yet and picks up new matches.
 */
export async function openFiles(config: FilesConfig, monitor: MonitorOptions, stop$: Observable<unknown>, io: CliIo): Promise<Observable<MonitorEvent>> {
  const warn = (message: string): void => void io.stderr.write(`apachescan: ${message}\n`);
  let files: readonly string[] = config.files;
  if (config.once) {
    const expanded: string[] = [];
    for (const pattern of config.files) {
      const paths = await expandGlob(pattern);
      if (paths.length === 0) throw new UsageError(`no file matches ${pattern}`);
      for (const path of paths) {
        await checkReadableFile(path);
        if (!expanded.includes(path)) expanded.push(path);
      }
    }
    files = expanded;
  }
  const checkpoint = config.once ? undefined : await loadFilesCheckpoint(config, monitor);
  return monitorFiles(files, {
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...monitor,
    follow: !config.once,
    fromEnd: config.fromEnd,
    history: config.history,
    ...(config.since === undefined ? {} : { since: config.since }),
    ...(config.until === undefined ? {} : { until: config.until }),
    ...(config.by === undefined ? {} : { by: config.by }),
    stop: stop$,
    onWarning: warn,
  }).pipe(catchError((err: unknown) => throwError(() => (hasCode(err) ? new UsageError(err.message, { cause: err }) : err))));
}

function hasCode(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** Follow mode: the one checkpoint of all the files (default under $XDG_STATE_HOME), loaded and checked. */
async function loadFilesCheckpoint(config: FilesConfig, monitor: MonitorOptions): Promise<{ path: string; saved: FilesCheckpoint | undefined } | undefined> {
  if (config.checkpoint === false) return undefined;
  const log = filesLog(config.files);
  const path = config.checkpoint ?? defaultCheckpointPath(log);
  if (config.reset) return { path, saved: undefined };
  const saved = await loadCheckpoint(path, isFollowCheckpoint).catch((err: Error) => {
    throw new UsageError(err.message, { cause: err });
  });
  if (saved === undefined) return { path, saved: undefined };
  const why = !isFilesCheckpoint(saved) ? `it belongs to ${saved.log}` : incompatibility(saved, { log, format: monitor.format ?? 'auto', settings: settingsOf(monitor) });
  if (why !== undefined) throw new UsageError(`cannot resume from checkpoint ${path}: ${why} (use --reset to start over)`);
  return { path, saved: saved as FilesCheckpoint };
}
