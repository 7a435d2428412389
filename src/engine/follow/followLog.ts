import type { Observable } from 'rxjs';
import { monitorFiles, type MonitorFilesOptions } from '../monitorFiles.js';
import type { MonitorEvent } from '../../types.js';

/** `monitorFiles`' follow-mode options, for one file. */
export type FollowLogOptions = Omit<MonitorFilesOptions, 'follow' | 'history' | 'rescanInterval' | 'by' | 'since' | 'until' | 'onFile'>;

/**
 * Follows a growing log (rotation-safe, see `tailFile`) through the engine:
 * `monitorFiles([path], { ...options, follow: true })`, the file engine with one file. The
 * watermark advances with the scheduler after `idleTimeout` (default: the lateness, at least
 * 1 s) of silence, so windows close and alerts recover when traffic stops. With a checkpoint,
 * a restart after a crash reports no interval twice and misses no line; a `saved` checkpoint
 * made for another log or other settings throws `CheckpointError` at once (an older version
 * is migrated).
 *
 * Options are checked when `followLog` is called, exactly as `monitor` checks them: a bad
 * one throws `MonitorOptionsError` synchronously. `path` is a path, never a glob.
 */
export function followLog(path: string, options: FollowLogOptions = {}): Observable<MonitorEvent> {
  return monitorFiles([path], { ...options, follow: true });
}
