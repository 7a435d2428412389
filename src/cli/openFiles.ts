import { catchError, throwError, type Observable } from 'rxjs';
import { monitorFiles } from '../monitorFiles.js';
import type { MonitorOptions } from '../monitor.js';
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
  /** An explicit --checkpoint (not kept for several files: said on stderr). */
  readonly checkpoint: string | false | undefined;
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
  } else if (typeof config.checkpoint === 'string') {
    warn('--checkpoint is not used when following several files, globs or --history (not kept yet)');
  }
  return monitorFiles(files, {
    ...monitor,
    follow: !config.once,
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
