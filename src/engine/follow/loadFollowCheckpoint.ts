import { loadCheckpoint } from '../checkpoint/checkpointStore.js';
import { CheckpointError, START_AFRESH } from '../../errors.js';
import { settingsOf, type MonitorOptions } from '../monitor.js';
import { filesLog, incompatibility, migrateCheckpoint, type FollowCheckpoint } from './checkpointData.js';

/**
 * Reads the checkpoint that following `logs` (one path, or the paths and globs given to
 * `monitorFiles`) saved at `checkpointPath`, migrates it from an older version, and checks
 * that it can resume following them with these options (same logs, interval, lateness, alert
 * window and format). Pass the result as `checkpoint: { path, saved }`.
 *
 * @example
 * ```ts
 * import { followLog, loadFollowCheckpoint } from 'apachescan';
 * const options = { interval: 10_000 };
 * const saved = await loadFollowCheckpoint('state.json', 'access.log', options);
 * followLog('access.log', { ...options, checkpoint: { path: 'state.json', saved } }).subscribe(console.log);
 * ```
 * @param checkpointPath The checkpoint file.
 * @param logs The log to follow, or every path and glob followed together.
 * @param options The options the run will get.
 * @returns The checkpoint, or `undefined` when there is no file (start from scratch).
 * @throws CheckpointError (rejected promise) when the file cannot be read, is not a
 *   checkpoint of a known version, or was made for other logs or other settings.
 */
export async function loadFollowCheckpoint(
  checkpointPath: string,
  logs: string | readonly string[],
  options: MonitorOptions = {},
): Promise<FollowCheckpoint | undefined> {
  const saved = await loadCheckpoint(checkpointPath, (value): value is unknown => true);
  return saved === undefined ? undefined : checkFollowCheckpoint(saved, logs, options, checkpointPath);
}

/**
 * Checks a checkpoint kept elsewhere (a database, a key-value store) as `loadFollowCheckpoint`
 * checks a file: its shape (an older version is migrated), and that it belongs to `logs` and
 * these options.
 *
 * @param value The parsed JSON of a checkpoint.
 * @param logs The log to follow, or every path and glob followed together.
 * @param options The options the run will get.
 * @param where Named in error messages (the checkpoint file). Default `checkpoint`.
 * @returns The checkpoint, of this version.
 * @throws CheckpointError when it cannot be used to resume.
 */
export function checkFollowCheckpoint(
  value: unknown,
  logs: string | readonly string[],
  options: MonitorOptions = {},
  where = 'checkpoint',
): FollowCheckpoint {
  const patterns = typeof logs === 'string' ? [logs] : logs;
  const named = where === 'checkpoint' ? 'the checkpoint' : `checkpoint ${where}`;
  const checkpoint = migrateCheckpoint(value, patterns.length === 1 ? patterns[0] : undefined);
  if (checkpoint === undefined)
    throw new CheckpointError(`${named} is not an apachescan checkpoint of this version ${START_AFRESH}`, where);
  const why = incompatibility(checkpoint, { log: filesLog(patterns), format: options.format ?? 'auto', settings: settingsOf(options) });
  if (why !== undefined) throw new CheckpointError(`cannot resume from ${named}: ${why} ${START_AFRESH}`, where);
  return checkpoint;
}
