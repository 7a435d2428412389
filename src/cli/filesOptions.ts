/**
 * The command-line options of many files and their history (`--history`, `--since`,
 * `--until`, `--by`), added to the yargs instance and read back into the run configuration.
 */
import type { Argv } from 'yargs';
import { timeArg } from './timeArg.js';
import { UsageError } from './usageError.js';

export interface FilesArgs {
  readonly history: boolean;
  readonly since?: number;
  readonly until?: number;
  readonly by?: 'file' | 'vhost';
  readonly parseWorkers?: number;
}

export function addFilesOptions<T>(cli: Argv<T>): Argv<T> {
  return cli
    .option('history', {
      type: 'boolean',
      default: false,
      describe: "read each log's rotated siblings first (.3.gz .2.gz .1), oldest first, then the log itself",
    })
    .option('since', {
      type: 'string',
      requiresArg: true,
      coerce: timeArg('since'),
      describe: 'only lines at or after this time (ISO 8601, or Apache 10/Oct/2026:13:55:36 +0000)',
    })
    .option('until', {
      type: 'string',
      requiresArg: true,
      coerce: timeArg('until'),
      describe: 'only lines before this time (ISO 8601 or Apache time)',
    })
    .option('by', {
      choices: ['file', 'vhost'] as const,
      requiresArg: true,
      describe: 'hits per log file or per virtual host (%v of vhost_combined) in each interval, at most 50 names (the rest as other)',
    })
    .option('parse-workers', {
      type: 'number',
      requiresArg: true,
      describe:
        'with --once, parse each log (plain, of 1 MiB or more) on N threads besides the main one (default: 1 for the run, taken by a log of 256 MiB or more, with 2 cores or more; 0: none)',
    })
    .group(['history', 'since', 'until', 'by', 'parse-workers'], 'Files:') as Argv<T>;
}

/** The files options of parsed arguments, checked; `files` are the paths named (`-` for standard input). */
export function filesArgsOf(args: Record<string, unknown>, files: readonly string[]): FilesArgs {
  const { since, until, by } = args;
  if (files.length > 1 && files.includes('-')) throw new UsageError('- (standard input) cannot be read together with files');
  if (typeof since === 'number' && typeof until === 'number' && since >= until) throw new UsageError('--since must be before --until');
  const history = args['history'] === true;
  const parseWorkers = args['parse-workers'];
  if (
    parseWorkers !== undefined &&
    !(typeof parseWorkers === 'number' && Number.isInteger(parseWorkers) && parseWorkers >= 0 && parseWorkers <= 64)
  ) {
    throw new UsageError(`--parse-workers must be a whole number from 0 to 64, got ${String(args['parse-workers'])}`);
  }
  if (files[0] === '-' && (history || since !== undefined || until !== undefined || by !== undefined))
    throw new UsageError('--history, --since, --until and --by read files, not standard input');
  return {
    history,
    ...(typeof since === 'number' ? { since } : {}),
    ...(typeof until === 'number' ? { until } : {}),
    ...(by === 'file' || by === 'vhost' ? { by } : {}),
    ...(typeof parseWorkers === 'number' ? { parseWorkers } : {}),
  };
}
