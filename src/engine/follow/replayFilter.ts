import { windowStartOf } from '../../core/eventTimeWindowing.js';
import type { EngineState } from '../engineState.js';
import { isBlankLine, type LineParser } from '../../parse/index.js';
import type { FilePosition } from '../../source/index.js';
import type { FileProgress, FollowCheckpoint } from './checkpointData.js';

/**
 * Decides, while resuming from a checkpoint, which re-read lines go to the engine again:
 * lines past the processed position all do; before it, only records of windows that were
 * still open at the checkpoint (they were in no emitted window). Everything else was
 * already counted (in an emitted window, as late or as invalid, dated in the future
 * included) and is skipped: a re-read line is counted once, whatever its kind.
 */
export interface ReplayFilter {
  (position: FilePosition, lineEnd: number, line: string): boolean;
  /** False once a line past the processed position was seen: every line goes on from then. */
  readonly replaying: boolean;
}

/**
 * @param saved the checkpoint resumed from.
 * @param file the file's progress in it.
 */
export function createReplayFilter(saved: FollowCheckpoint, file: FileProgress, state: EngineState, parse: LineParser): ReplayFilter {
  let replaying = true;
  const { processed, replay } = file;
  const newestCounted = saved.windowing.maxTime ?? -Infinity;
  const filter = (position: FilePosition, lineEnd: number, line: string): boolean => {
    if (!replaying) return true;
    const inProcessedFile = sameFile(position, processed);
    const inOlderFile = !inProcessedFile && sameFile(position, replay);
    if ((inProcessedFile && lineEnd > processed.offset) || (!inProcessedFile && !inOlderFile)) {
      replaying = false;
      return true;
    }
    if (isBlankLine(line)) return false;
    const parsed = parse(line);
    const nextStart = state.windowing.nextStart;
    // Counted into an open window: on time (its window not emitted yet) and not after the newest
    // counted time. A record dated after it went in no window: it was counted invalid ("time in
    // the future"), so it is skipped like any other line counted before.
    return (
      parsed.type === 'record' &&
      nextStart !== undefined &&
      windowStartOf(parsed.time, state.windowing.interval) >= nextStart &&
      parsed.time <= newestCounted
    );
  };
  return Object.defineProperty(filter, 'replaying', { get: () => replaying }) as ReplayFilter;
}

/**
 * Whether two positions are in the same file. By its first bytes when both hashed as many: a
 * copy left by copytruncate (another inode) is the file read before, and an inode truncated
 * and rewritten since is not. Else (a file still shorter than the fingerprint) by inode.
 */
export function sameFile(a: FilePosition, b: FilePosition): boolean {
  if (a.fingerprintBytes === b.fingerprintBytes) return a.fingerprint === b.fingerprint;
  return a.dev === b.dev && a.ino === b.ino;
}
