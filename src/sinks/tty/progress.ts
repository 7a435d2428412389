import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { CLEAR_TO_END_OF_LINE } from './ansi.js';
import { formatProgress } from './progressFormat.js';
import { createThrottle } from './throttle.js';

/** The part of `NodeJS.WriteStream` the progress bar uses (`process.stderr` fits). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): boolean;
}

export interface ProgressOptions {
  readonly stream: ProgressStream;
  /** Bytes of backlog to read. */
  readonly total: number;
  /** Redraw timer and clock; default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Least ms between two redraws; default 100 (10 per second). */
  readonly frameInterval?: number;
}

export interface Progress {
  /** Bytes read so far (not the increment). */
  update(bytesRead: number): void;
  /** Clears the bar; later updates are ignored. */
  done(): void;
}

/**
 * A one-line progress bar for catching up on a backlog, redrawn in place with `\r` at most
 * once per `frameInterval`, cleared by `done()`. Does nothing when the stream is not a TTY.
 */
export function createProgress(options: ProgressOptions): Progress {
  const { stream, total } = options;
  if (stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  const scheduler = options.scheduler ?? asyncScheduler;
  const started = scheduler.now();
  let bytesRead = 0;
  let drawn = false;
  let finished = false;
  const draw = (): void => {
    const line = formatProgress({ bytesRead, total, elapsed: scheduler.now() - started, width: stream.columns || 80 });
    stream.write(`\r${line}${CLEAR_TO_END_OF_LINE}`);
    drawn = true;
  };
  const throttle = createThrottle(scheduler, options.frameInterval ?? 100, draw);
  return {
    update(n) {
      if (finished) return;
      bytesRead = n;
      throttle.request();
    },
    done() {
      if (finished) return;
      finished = true;
      throttle.cancel();
      if (drawn) stream.write(`\r${CLEAR_TO_END_OF_LINE}`);
    },
  };
}
