/**
 * One validation for every entry point: `monitor`, `monitorParsed`, `monitorFiles` (and
 * `followLog`, which is `monitorFiles` of one file) check the engine options with the checks
 * each stage makes when it is created (plus the alert window being a multiple of the
 * interval), synchronously, throwing `MonitorOptionsError`; nothing is subscribed.
 */
import { MonitorOptionsError } from '../errors.js';
import { checkMonitorOptions, type MonitorOptions } from './monitor.js';

/** What the file engine adds to `monitor`'s options and must check as well. */
export interface FilesOnlyOptions {
  readonly pollInterval?: number;
  readonly rotateGrace?: number;
  readonly rescanInterval?: number;
  readonly since?: number;
  readonly until?: number;
  readonly checkpoint?: { readonly path: string };
  readonly parseWorkers?: number;
  readonly parseWorkersMinBytes?: number;
}

/** `monitorFiles`' checks: the engine's, then the patterns, the tailer's timings, the range and the checkpoint path. */
export function validateFilesOptions(patterns: unknown, options: MonitorOptions & FilesOnlyOptions): void {
  checkMonitorOptions(options);
  if (!Array.isArray(patterns) || patterns.length === 0) throw new MonitorOptionsError('at least one log path or pattern is needed');
  for (const path of patterns) {
    if (typeof path !== 'string' || path === '')
      throw new MonitorOptionsError(`the log path must be a non-empty string, got ${JSON.stringify(path)}`);
  }
  const { pollInterval, rotateGrace, rescanInterval, since, until, checkpoint, parseWorkers, parseWorkersMinBytes } = options;
  if (parseWorkers !== undefined && !(Number.isInteger(parseWorkers) && parseWorkers >= 0 && parseWorkers <= 64)) {
    throw new MonitorOptionsError(`parseWorkers must be a whole number from 0 to 64, got ${parseWorkers}`);
  }
  if (parseWorkersMinBytes !== undefined && !(Number.isFinite(parseWorkersMinBytes) && parseWorkersMinBytes >= 0)) {
    throw new MonitorOptionsError(`parseWorkersMinBytes must be a non-negative number of bytes, got ${parseWorkersMinBytes}`);
  }
  positive('pollInterval', pollInterval);
  positive('rescanInterval', rescanInterval);
  if (rotateGrace !== undefined && !(Number.isFinite(rotateGrace) && rotateGrace >= 0)) {
    throw new MonitorOptionsError(`rotateGrace must be a non-negative number of ms, got ${rotateGrace}`);
  }
  if (Number.isNaN(since) || Number.isNaN(until)) throw new MonitorOptionsError('since and until must be times in ms');
  if (since !== undefined && until !== undefined && since >= until)
    throw new MonitorOptionsError(`since (${since}) must be before until (${until}): the range [since, until) is empty`);
  if (checkpoint !== undefined && (typeof checkpoint.path !== 'string' || checkpoint.path === '')) {
    throw new MonitorOptionsError('checkpoint.path must be a non-empty string');
  }
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0))
    throw new MonitorOptionsError(`${name} must be a positive number of ms, got ${value}`);
}
