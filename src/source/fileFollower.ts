/**
 * One path's follower as a step function over plain state: `step()` stats the path, finds
 * the start (once), then runs `followStep` (rotation, truncation, new lines). `tailBytes` runs
 * it on paced change signals; specs run it by hand between explicit file operations, on a
 * manual clock, so that each interleaving of writer, rotation and reader is chosen.
 */
import { DEFAULT_MAX_LINE_BYTES } from './lineChunk.js';
import { DEFAULT_CHUNK_SIZE } from './chunkReader.js';
import { DEFAULT_FINGERPRINT_BYTES } from './fileIdentity.js';
import { followReadBuffers } from './readBuffers.js';
import { readPosition, type TailBytes } from './fileCursor.js';
import { followStart, type StartAt } from './followStart.js';
import {
  closeAll,
  followStep,
  hasUnread,
  initialFollowState,
  park,
  reopenParked,
  statPath,
  type FollowContext,
  type FollowState,
} from './follower.js';
import { followStarts, followedOpenFiles, type OpenFiles } from './openFiles.js';

export interface FileFollowerSettings {
  readonly start: StartAt;
  readonly rotateGrace: number;
  readonly chunkSize?: number;
  readonly maxLineBytes?: number;
  readonly fingerprintBytes?: number;
  /** The time in ms (the scheduler's). */
  readonly now: () => number;
  /** Each chunk read (a lent view: valid during the call only). */
  readonly emit: (chunk: TailBytes) => void;
  /** A warning, not repeated while the same trouble lasts from step to step. */
  readonly onWarning: (message: string) => void;
  readonly stopped: () => boolean;
  /** The places for open live files it takes one of (default: the process's, `followedOpenFiles`). */
  readonly openFiles?: OpenFiles;
}

export interface FileFollower {
  /** One step; never rejects (trouble is warned about; the next step tries again). */
  readonly step: () => Promise<void>;
  /** Whether bytes wait that it has not read (synchronous stats; see `hasUnread`). */
  readonly hasUnread: () => boolean;
  /** Closes every file it holds. */
  readonly close: () => Promise<void>;
  readonly state: FollowState;
}

export function fileFollower(path: string, settings: FileFollowerSettings): FileFollower {
  const { chunkSize = DEFAULT_CHUNK_SIZE, maxLineBytes = DEFAULT_MAX_LINE_BYTES, fingerprintBytes = DEFAULT_FINGERPRINT_BYTES } = settings;
  let lastWarning: string | undefined;
  let warned = false;
  const warn = (message: string): void => {
    warned = true;
    if (message !== lastWarning) settings.onWarning(message);
    lastWarning = message;
  };
  // Read buffers are borrowed from the process's pool for the length of a step (see readBuffers.ts).
  const pool = followReadBuffers(chunkSize);
  let lent: Buffer[] | undefined;
  const ctx: FollowContext = {
    path,
    settings: {
      get buffers(): readonly Buffer[] {
        if (lent === undefined) throw new Error('read outside a step');
        return lent;
      },
      maxLineBytes,
      fingerprintBytes,
    },
    rotateGrace: settings.rotateGrace,
    now: settings.now,
    emit: settings.emit,
    warn,
    stopped: settings.stopped,
  };
  const state = initialFollowState();
  let start: StartAt | undefined = settings.start;
  // A place among the open live files (openFiles.ts), held while the live file is open; given
  // up when another follower waits for one while this one is between steps.
  const openFiles = settings.openFiles ?? followedOpenFiles();
  let holding = false;
  let parking: Promise<void> | undefined;
  const parkNow = (): Promise<void> => {
    holding = false;
    parking = park(state).finally(() => (parking = undefined));
    return parking;
  };
  const release = (): void => {
    openFiles.setBusy(state);
    if (!holding) return;
    holding = false;
    openFiles.release();
  };
  const step = async (): Promise<void> => {
    if (start === undefined) return stepOnce();
    // The first step: a few hundred followers of the process at once (openFiles.ts, `followStarts`).
    return followStarts().within(stepOnce);
  };
  const stepOnce = async (): Promise<void> => {
    warned = false;
    openFiles.setBusy(state);
    try {
      if (parking !== undefined) await parking;
      // A closed file that has not changed (same file, size and mtime): nothing to read, no place needed.
      if (!holding && (await parkedUnchanged())) return;
      if (!holding) {
        await openFiles.acquire();
        holding = true;
      }
      // The start reads no buffer of the pool's (a saved file's rest in a .gz brings its own):
      // ten thousand followers starting at once wait together for one listing of their folder,
      // not a few at a time with a pair of buffers each.
      const starting = start !== undefined;
      let st = starting ? await statPath(ctx) : undefined;
      if (start !== undefined && !ctx.stopped()) {
        if (await followStart(ctx, state, st, start)) start = undefined;
      }
      if (start === undefined && !ctx.stopped()) {
        lent = await pool.take();
        try {
          // Stat'ed once its turn came, as the step reads (a start's stat is the one it started from).
          if (!starting) st = await statPath(ctx);
          if (await reopen(st)) await followStep(ctx, state, st);
        } finally {
          pool.give(lent);
          lent = undefined;
        }
      }
    } catch (err) {
      warn(`${path}: ${(err as Error).message}`);
    }
    if (!warned) lastWarning = undefined;
    if (ctx.stopped()) return;
    if (state.current === undefined) release();
    else openFiles.setIdle(state, parkNow);
  };
  /** Whether the live file is parked and the path still names it, unchanged since it was read (one stat). */
  const parkedUnchanged = async (): Promise<boolean> => {
    const parked = state.parked;
    if (parked === undefined || start !== undefined || state.retired.length > 0) return false;
    const st = await statPath(ctx);
    return !!st && st.dev === parked.dev && st.ino === parked.ino && st.size === readPosition(parked) && st.mtimeMs === state.liveMtime;
  };
  /**
   * A parked live file opened again; if the path names another file now (rotated away or
   * deleted while closed), its rest is looked for as a saved position's is (its rotated
   * sibling, even compressed), then the live file read. False: try again at the next step.
   */
  const reopen = async (st: Awaited<ReturnType<typeof statPath>>): Promise<boolean> => {
    const parked = state.parked;
    if (parked === undefined) return true;
    const reopened = await reopenParked(ctx, state, st);
    if (reopened !== false) return reopened === true;
    state.parked = undefined;
    const { dev, ino, fingerprint, head, splitter } = parked;
    const position = { dev, ino, fingerprint, fingerprintBytes: head.length, offset: splitter.lineOffset };
    if (await followStart(ctx, state, st, { position })) return true;
    state.parked = parked;
    return false;
  };
  const close = async (): Promise<void> => {
    if (parking !== undefined) await parking;
    await closeAll(state);
    release();
  };
  return { step, hasUnread: () => hasUnread(ctx, state), close, state };
}
