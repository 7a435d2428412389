import { resolve } from 'node:path';
import { loadCheckpoint } from '../checkpoint/checkpointStore.js';
import { CheckpointError } from '../errors.js';
import { settingsOf, type MonitorOptions } from '../monitor.js';
import { incompatibility, isFollowCheckpoint, type FollowCheckpoint } from './checkpointData.js';

/**
 * Reads the checkpoint `followLog` saved at `checkpointPath` and checks that it can resume
 * following `log` with these options (same log, interval, lateness, alert window and
 * format). Pass the result as `followLog(log, { ...options, checkpoint: { path, saved } })`.
 *
 * @example
 * ```ts
 * import { followLog, loadFollowCheckpoint } from 'apachescan';
 * const options = { interval: 10_000 };
 * const saved = await loadFollowCheckpoint('state.json', 'access.log', options);
 * followLog('access.log', { ...options, checkpoint: { path: 'state.json', saved } }).subscribe(console.log);
 * ```
 * @param checkpointPath The checkpoint file.
 * @param log The log to follow (the checkpoint keeps its absolute path).
 * @param options The options `followLog` will get.
 * @returns The checkpoint, or `undefined` when there is no file (start from scratch).
 * @throws CheckpointError (rejected promise) when the file cannot be read, is not a
 *   checkpoint of this version, or was made for another log or other settings.
 */
export async function loadFollowCheckpoint(checkpointPath: string, log: string, options: MonitorOptions = {}): Promise<FollowCheckpoint | undefined> {
  const saved = await loadCheckpoint(checkpointPath, isFollowCheckpoint);
  return saved === undefined ? undefined : checkFollowCheckpoint(saved, log, options, checkpointPath);
}

/**
 * Checks a checkpoint kept elsewhere (a database, a key-value store) as `loadFollowCheckpoint`
 * checks a file: its shape, and that it belongs to `log` and these options.
 *
 * @param value The parsed JSON of a checkpoint.
 * @param where Named in error messages. Default `checkpoint`.
 * @returns The same value, typed.
 * @throws CheckpointError when it cannot be used to resume.
 */
export function checkFollowCheckpoint(value: unknown, log: string, options: MonitorOptions = {}, where = 'checkpoint'): FollowCheckpoint {
  if (!isFollowCheckpoint(value)) throw new CheckpointError(`${where} is not an apachescan checkpoint of this version (use --reset to start over)`, where);
  const why = incompatibility(value, { log: resolve(log), format: options.format ?? 'auto', settings: settingsOf(options) });
  if (why !== undefined) throw new CheckpointError(`cannot resume from checkpoint ${where}: ${why} (use --reset to start over)`, where);
  return value;
}
