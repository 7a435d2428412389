/**
 * One step of following a path (run on every change signal): notice rotation, drain rotated
 * files, recover from truncation, read new lines. The state is plain data; the step is an
 * async function over it. Nothing here ends the stream: fs trouble becomes a warning and the
 * next step tries again.
 *
 * - The path now names another inode, or none (rename + create, delete + recreate): the old
 *   cursor is retired but kept open and drained at each step until it has not grown for
 *   `rotateGrace` ms (a writer may reopen late); then the new file is read from offset 0.
 * - The file shrank below the read position, or its first bytes changed (copytruncate, or a
 *   plain truncation): the unread rest is taken from a rotated copy (`<base>.1`...) whose
 *   first bytes match, if any; then the live file is read again from offset 0.
 * - Rotated twice between two steps (a descheduled reader): rotated siblings never seen,
 *   modified since the old file was last seen live, are whole generations in between; they
 *   are read, oldest first, before the new live file.
 */
import { open, stat } from 'node:fs/promises';
import { fstatSync, statSync, type Stats } from 'node:fs';
import {
  flushCursor,
  headRewritten,
  openCursor,
  readPosition,
  readToEnd,
  restartCursor,
  type Cursor,
  type ReadSettings,
  type TailBytes,
} from './fileCursor.js';
import { fileKey, findNewerRotated, findRotated } from './rotatedFiles.js';

export interface FollowContext {
  readonly path: string;
  readonly settings: ReadSettings;
  readonly rotateGrace: number;
  readonly now: () => number;
  readonly emit: (chunk: TailBytes) => void;
  readonly warn: (message: string) => void;
  readonly stopped: () => boolean;
}

export interface Retired {
  readonly cursor: Cursor;
  lastGrowth: number;
}

export interface FollowState {
  current: Cursor | undefined;
  retired: Retired[];
  /** `fileKey`s of every file read or passed over (rotated siblings at start), newest last. */
  readonly seen: Set<string>;
  /** mtime of the live file when last seen at the path. */
  liveMtime: number | undefined;
  /**
   * The live file's cursor while its descriptor is closed (over the open-files limit:
   * `openFiles.ts`): its identity, read position and unterminated line, to go on from.
   */
  parked: Cursor | undefined;
}

export function initialFollowState(): FollowState {
  return { current: undefined, retired: [], seen: new Set(), liveMtime: undefined, parked: undefined };
}

/** Closes the live file's descriptor, keeping its cursor (`parked`) to go on from once it is opened again. */
export async function park(state: FollowState): Promise<void> {
  const cursor = state.current;
  if (cursor === undefined) return;
  state.current = undefined;
  state.parked = cursor;
  await cursor.handle.close().catch(() => undefined);
}

/**
 * Opens the parked live file again when the path still names it (same device + inode), its
 * cursor going on as if it had stayed open (a truncation meanwhile is then noticed as
 * usual); true when it did. False: rotated away, deleted, or not there (the caller looks
 * for its rest elsewhere), or trouble (warned; `parked` is kept for the next step).
 */
export async function reopenParked(ctx: FollowContext, state: FollowState, st: Stats | undefined | null): Promise<boolean | 'retry'> {
  const parked = state.parked;
  if (parked === undefined) return true;
  if (st === null) return 'retry';
  if (st === undefined || st.dev !== parked.dev || st.ino !== parked.ino) return false;
  try {
    const handle = await open(ctx.path, 'r');
    const now = await handle.stat().catch(async (err: unknown) => {
      await handle.close().catch(() => undefined);
      throw err;
    });
    if (now.dev !== parked.dev || now.ino !== parked.ino) {
      await handle.close().catch(() => undefined);
      return false;
    }
    state.current = { ...parked, handle };
    state.parked = undefined;
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    ctx.warn(`${ctx.path}: ${(err as Error).message}; retrying`);
    return 'retry';
  }
}

const SEEN_LIMIT = 1024;

export function remember(state: FollowState, file: { readonly dev: number; readonly ino: number }): void {
  const key = fileKey(file);
  state.seen.delete(key);
  state.seen.add(key);
  if (state.seen.size > SEEN_LIMIT) state.seen.delete(state.seen.values().next().value as string);
}

/**
 * Whether the followed files hold bytes not read yet, synchronously (a stat per open file):
 * the live file grew past the read position or shrank below it, the path names a new
 * non-empty file, or a rotated file still being drained grew.
 */
export function hasUnread(ctx: FollowContext, state: FollowState): boolean {
  try {
    for (const { cursor } of state.retired) if (fstatSync(cursor.handle.fd).size > readPosition(cursor)) return true;
    const st = statSync(ctx.path, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile()) return false;
    const current = state.current ?? state.parked;
    if (current === undefined || st.dev !== current.dev || st.ino !== current.ino) return st.size > 0;
    return st.size !== readPosition(current);
  } catch {
    return false;
  }
}

/** `undefined`: no regular file at the path; `null`: could not tell (warned). */
export async function statPath(ctx: FollowContext): Promise<Stats | undefined | null> {
  try {
    const st = await stat(ctx.path);
    if (st.isFile()) return st;
    ctx.warn(`${ctx.path}: not a regular file; waiting`);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    ctx.warn(`${ctx.path}: ${(err as Error).message}; retrying`);
    return null;
  }
}

export async function followStep(ctx: FollowContext, state: FollowState, st: Stats | undefined | null): Promise<void> {
  const cur = state.current;
  /** The live file was modified since the last step. */
  const touched = st ? st.mtimeMs !== state.liveMtime : false;
  if (cur !== undefined && st !== null && (st === undefined || st.dev !== cur.dev || st.ino !== cur.ino)) {
    retire(ctx, state, cur);
  } else if (cur !== undefined && st) {
    state.liveMtime = st.mtimeMs;
  }
  if (state.current === undefined && st) {
    const live = await openLive(ctx, state, 0);
    if (live !== undefined && state.liveMtime !== undefined) await adoptRotated(ctx, state, state.liveMtime);
    state.current = live;
  }
  await drainRetired(ctx, state);
  const live = state.current;
  // Same size as read, not modified since: nothing to read (a write after the stat is a change of its own).
  if (live === undefined || !st || (!touched && st.size === readPosition(live) && st.dev === live.dev && st.ino === live.ino)) return;
  await drainCurrent(ctx, state, live, st.size, touched);
}

export function retire(ctx: FollowContext, state: FollowState, cursor: Cursor): void {
  if (state.current === cursor) state.current = undefined;
  state.retired.push({ cursor, lastGrowth: ctx.now() });
}

/** Opens the file now at the path (or revives its retired cursor, should it be back). */
export async function openLive(ctx: FollowContext, state: FollowState, offset: number): Promise<Cursor | undefined> {
  try {
    const handle = await open(ctx.path, 'r');
    const cursor = await openCursor(handle, offset, ctx.settings).catch(async (err: unknown) => {
      await handle.close();
      throw err;
    });
    const back = state.retired.findIndex((r) => r.cursor.dev === cursor.dev && r.cursor.ino === cursor.ino);
    remember(state, cursor);
    if (back < 0 && !ctx.stopped()) return cursor;
    await handle.close(); // stopped meanwhile, or the path names a retired file again
    return ctx.stopped() ? undefined : state.retired.splice(back, 1)[0]?.cursor;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') ctx.warn(`${ctx.path}: ${(err as Error).message}; retrying`);
    return undefined;
  }
}

/**
 * Queues, after the retired files, the rotated siblings not seen before and modified since
 * `sinceMs`: generations that came and went at the path between two steps. Read from 0.
 */
export async function adoptRotated(ctx: FollowContext, state: FollowState, sinceMs: number): Promise<void> {
  for (const file of await findNewerRotated(ctx.path, sinceMs, state.seen)) {
    remember(state, file);
    try {
      retire(ctx, state, await openCursor(file.handle, 0, ctx.settings));
    } catch (err) {
      await file.handle.close().catch(() => undefined);
      ctx.warn(`${ctx.path} (rotated): ${(err as Error).message}`);
    }
  }
}

async function drainRetired(ctx: FollowContext, state: FollowState): Promise<void> {
  for (const r of [...state.retired]) {
    const { bytes } = await readToEnd(r.cursor, ctx.settings, false, ctx.emit, ctx.stopped).catch((err: unknown) => {
      ctx.warn(`${ctx.path} (rotated): ${(err as Error).message}`);
      return { bytes: 0 };
    });
    if (ctx.stopped()) return;
    if (bytes > 0) r.lastGrowth = ctx.now();
    else if (ctx.now() - r.lastGrowth >= ctx.rotateGrace) {
      flushCursor(r.cursor, ctx.emit);
      state.retired.splice(state.retired.indexOf(r), 1);
      await r.cursor.handle.close().catch(() => undefined);
    }
  }
}

/**
 * Reads the live file's new lines; on a truncation, its rest from a copy first. `touched`: it
 * was modified since the last step; if nothing new is read then, its first bytes are checked
 * (truncated and written again up to exactly the read position: neither shorter nor grown).
 */
async function drainCurrent(ctx: FollowContext, state: FollowState, cursor: Cursor, size: number, touched: boolean): Promise<void> {
  try {
    const read = size < readPosition(cursor) ? undefined : await readToEnd(cursor, ctx.settings, true, ctx.emit, ctx.stopped);
    const truncated =
      read === undefined ||
      read.outcome === 'rewritten' ||
      (touched && read.outcome === 'eof' && read.bytes === 0 && (await headRewritten(cursor, ctx.settings.fingerprintBytes)));
    if (!truncated || ctx.stopped()) return;
    await recoverTruncation(ctx, state, cursor);
    await readToEnd(cursor, ctx.settings, true, ctx.emit, ctx.stopped);
  } catch (err) {
    ctx.warn(`${ctx.path}: ${(err as Error).message}; retrying`);
  }
}

/**
 * Reads the rest of the truncated file from its rotated copy, if any, then any newer copies
 * not seen before (truncated more than once since the last step); restarts at 0.
 */
async function recoverTruncation(ctx: FollowContext, state: FollowState, cursor: Cursor): Promise<void> {
  const { dev, ino, head, fingerprint } = cursor;
  const identity = { dev, ino, fingerprint, fingerprintBytes: head.length };
  const copy = await findRotated(ctx.path, identity, readPosition(cursor), ino);
  if (copy === undefined) {
    if (readPosition(cursor) > 0) ctx.warn(`${ctx.path}: truncated; reading it again from the start`);
    flushCursor(cursor, ctx.emit);
  } else {
    remember(state, copy);
    // The same splitter (holding the same unterminated line): after a failed read, the next step goes on from there.
    const rest: Cursor = { ...cursor, handle: copy.handle, dev: copy.dev, ino: copy.ino };
    try {
      await readWhole(ctx, rest);
    } finally {
      await copy.handle.close().catch(() => undefined);
    }
    for (const newer of await findNewerRotated(ctx.path, copy.mtimeMs, state.seen)) {
      remember(state, newer);
      try {
        await readWhole(ctx, await openCursor(newer.handle, 0, ctx.settings));
      } finally {
        await newer.handle.close().catch(() => undefined);
      }
    }
  }
  await restartCursor(cursor, ctx.settings.fingerprintBytes);
}

async function readWhole(ctx: FollowContext, cursor: Cursor): Promise<void> {
  await readToEnd(cursor, ctx.settings, false, ctx.emit, ctx.stopped);
  if (!ctx.stopped()) flushCursor(cursor, ctx.emit);
}

export async function closeAll(state: FollowState): Promise<void> {
  const cursors = [...state.retired.map((r) => r.cursor), ...(state.current ? [state.current] : [])];
  state.current = undefined;
  state.retired = [];
  await Promise.all(cursors.map((c) => c.handle.close().catch(() => undefined)));
}
