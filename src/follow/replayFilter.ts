import { windowStartOf } from '../core/eventTimeWindowing.js';
import type { EngineState } from '../engineState.js';
import { isBlankLine, type LineParser } from '../parse/index.js';
import type { FilePosition } from '../source/index.js';
import type { FollowCheckpoint } from './checkpointData.js';

/**
 * Decides, while resuming from a checkpoint, which re-read lines go to the engine again:
 * lines past the processed position all do; before it, only records of windows that were
 * still open at the checkpoint (they were in no emitted window). Everything else was
 * already counted (in an emitted window, as late or as invalid) and is skipped.
 */
export function createReplayFilter(saved: FollowCheckpoint, state: EngineState, parse: LineParser): (position: FilePosition, lineEnd: number, line: string) => boolean {
  let replaying = true;
  const { processed, replay } = saved;
  return (position, lineEnd, line) => {
    if (!replaying) return true;
    const inProcessedFile = position.dev === processed.dev && position.ino === processed.ino;
    const inOlderFile = !inProcessedFile && position.dev === replay.dev && position.ino === replay.ino;
    if ((inProcessedFile && lineEnd > processed.offset) || (!inProcessedFile && !inOlderFile)) {
      replaying = false;
      return true;
    }
    if (isBlankLine(line)) return false;
    const parsed = parse(line);
    const nextStart = state.windowing.nextStart;
    return parsed.type === 'record' && nextStart !== undefined && windowStartOf(parsed.time, state.windowing.interval) >= nextStart;
  };
}
