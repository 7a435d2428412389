import { stat } from 'node:fs/promises';
import type { Observable } from 'rxjs';
import { defaultCheckpointPath } from '../checkpoint/checkpointPath.js';
import { loadFollowCheckpoint } from '../follow/loadFollowCheckpoint.js';
import { followLog } from '../follow/followLog.js';
import type { MonitorOptions } from '../monitor.js';
import { dirname, resolve } from 'node:path';
import type { MonitorEvent } from '../types.js';
import type { CliIo } from './io.js';
import { UsageError } from './usageError.js';
import { checkReadableFile, describeFileError } from './checkFile.js';
import { escapeControl } from '../sinks/escapeControl.js';

export interface FollowConfig {
  /** Checkpoint file; `false` for none; undefined for the default under $XDG_STATE_HOME. */
  readonly checkpoint: string | false | undefined;
  /** Ignore a saved checkpoint. */
  readonly reset: boolean;
  readonly fromEnd: boolean;
}

/** Follow mode: checks the path, loads the checkpoint, starts following. */
export async function openFollow(
  file: string,
  options: MonitorOptions,
  follow: FollowConfig,
  stop$: Observable<unknown>,
  io: CliIo,
): Promise<Observable<MonitorEvent>> {
  if (!(await checkFollowable(file))) io.stderr.write(`apachescan: waiting for ${escapeControl(file)} to be created (Ctrl-C to stop)\n`);
  const path = follow.checkpoint === false ? undefined : (follow.checkpoint ?? defaultCheckpointPath(file));
  const warn = (message: string): void => void io.stderr.write(`apachescan: ${escapeControl(message)}\n`);
  let saved;
  if (path !== undefined && !follow.reset) {
    saved = await loadFollowCheckpoint(path, file, options).catch((err: Error) => {
      throw new UsageError(err.message, { cause: err });
    });
  }
  const progress = await catchUpProgress(file, saved === undefined ? (follow.fromEnd ? undefined : 0) : saved.replay.offset);
  return followLog(file, {
    ...options,
    ...(progress === undefined ? {} : { onRead: progress }),
    fromEnd: follow.fromEnd,
    ...(path === undefined ? {} : { checkpoint: { path, saved } }),
    onWarning: warn,
    stop: stop$,
  });
}

/**
 * A missing file is fine (it may be created later; returns false); a directory, a file that
 * cannot be read or a bad path is not.
 */
async function checkFollowable(file: string): Promise<boolean> {
  try {
    await checkReadableFile(file);
    return true;
  } catch (err) {
    if (((err as Error).cause as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') throw err;
    // Missing: wait for it, as long as the folder it will appear in exists.
    const dir = dirname(resolve(file));
    await stat(dir).catch((dirErr: unknown) => {
      throw new UsageError(describeFileError(dir, dirErr), { cause: dirErr });
    });
    return false;
  }
}

/**
 * A progress bar on stderr (TTY only) while the backlog present at start is read: from the
 * start offset to the file's size then, cleared once it is reached.
 */
async function catchUpProgress(file: string, from: number | undefined): Promise<((position: { offset: number }) => void) | undefined> {
  if (from === undefined || process.stderr.isTTY !== true) return undefined;
  const size = await stat(file).then((s) => s.size, () => 0);
  if (size - from < CATCH_UP_BAR_FROM) return undefined;
  const { createProgress } = await import('../sinks/tty/index.js');
  const bar = createProgress({ stream: process.stderr, total: size - from });
  let done = false;
  return ({ offset }) => {
    if (done) return;
    if (offset >= size) {
      done = true;
      bar.done();
    } else bar.update(Math.max(0, offset - from));
  };
}

/** Backlogs smaller than this are read too fast for a bar to help. */
const CATCH_UP_BAR_FROM = 16 * 1024 * 1024;
