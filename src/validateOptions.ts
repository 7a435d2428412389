/**
 * One validation for every entry point: `monitor`, `monitorFile` and `followLog` check the
 * engine options with the very checks `monitor` runs (the operators' own, plus the alert
 * window being a multiple of the interval), synchronously, throwing `MonitorOptionsError`.
 */
import { EMPTY } from 'rxjs';
import { MonitorOptionsError } from './errors.js';
import { monitor, type MonitorOptions } from './monitor.js';

/** @throws MonitorOptionsError (or its subclass LogFormatError) for any option `monitor` rejects. */
export function validateMonitorOptions(options: MonitorOptions): void {
  monitor(EMPTY, options);
}

/** What `followLog` adds to `monitor`'s options and must check as well. */
export interface FollowOnlyOptions {
  readonly pollInterval?: number;
  readonly rotateGrace?: number;
  readonly checkpoint?: { readonly path: string };
}

/** `followLog`'s checks: the engine's, then the path, the tailer's timings and the checkpoint path. */
export function validateFollowOptions(path: unknown, options: MonitorOptions & FollowOnlyOptions): void {
  validateMonitorOptions(options);
  if (typeof path !== 'string' || path === '') throw new MonitorOptionsError(`the log path must be a non-empty string, got ${JSON.stringify(path)}`);
  const { pollInterval, rotateGrace, checkpoint } = options;
  if (pollInterval !== undefined && !(Number.isFinite(pollInterval) && pollInterval > 0)) {
    throw new MonitorOptionsError(`pollInterval must be a positive number of ms, got ${pollInterval}`);
  }
  if (rotateGrace !== undefined && !(Number.isFinite(rotateGrace) && rotateGrace >= 0)) {
    throw new MonitorOptionsError(`rotateGrace must be a non-negative number of ms, got ${rotateGrace}`);
  }
  if (checkpoint !== undefined && (typeof checkpoint.path !== 'string' || checkpoint.path === '')) {
    throw new MonitorOptionsError('checkpoint.path must be a non-empty string');
  }
}
