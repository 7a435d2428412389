/**
 * Where following starts: at a byte offset, at the end (after the last complete line), or at
 * a saved `FilePosition`. A saved position whose file was rotated away since is looked up
 * among the rotated siblings (same inode, or same first bytes for a copy): its unread rest is
 * read first, then the live file from offset 0. A missing file is no error: it is read from
 * offset 0 once it appears.
 */
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { openCursor } from './fileCursor.js';
import { headMatches, type FilePosition } from './fileIdentity.js';
import { openLive, retire, type FollowContext, type FollowState } from './follower.js';
import { initialSplitter } from './lineSplitter.js';
import { findRotated } from './rotatedFiles.js';

export type StartAt = { readonly offset: number } | { readonly end: true } | { readonly position: FilePosition };

/**
 * Applies `start`; false when it must be tried again at the next step (the path could not be
 * stat'ed or opened: a file that is there but unreadable for now).
 */
export async function followStart(
  ctx: FollowContext,
  state: FollowState,
  st: Stats | undefined | null,
  start: StartAt,
): Promise<boolean> {
  if (st === null) return false;
  const live = st ? await openLive(ctx, state, 0) : undefined;
  if (st && live === undefined) return false;
  const size = st ? st.size : 0;
  if (!('position' in start)) {
    if (live === undefined) return true;
    let offset = 'end' in start ? await lastLineEnd(live.handle, size) : start.offset;
    if (offset > size) {
      ctx.warn(`${ctx.path}: start offset ${offset} is past the end (${size}); reading from the start`);
      offset = 0;
    }
    live.splitter = initialSplitter(offset);
    state.current = live;
    return true;
  }
  const saved = start.position;
  if (live && live.dev === saved.dev && live.ino === saved.ino && headMatches(live.head, saved) && size >= saved.offset) {
    live.splitter = initialSplitter(saved.offset);
    state.current = live;
    return true;
  }
  const rotated = await findRotated(ctx.path, saved, saved.offset, live?.ino).catch(() => undefined);
  if (rotated === undefined) {
    ctx.warn(`${ctx.path}: the saved position's file is gone or truncated; reading from the start`);
  } else {
    try {
      retire(ctx, state, await openCursor(rotated.handle, saved.offset, ctx.settings.fingerprintBytes));
    } catch (err) {
      await rotated.handle.close().catch(() => undefined);
      ctx.warn(`${ctx.path}: ${(err as Error).message}`);
    }
  }
  state.current = live;
  return true;
}

/** The offset just after the last newline before `size` (0 if there is none). */
async function lastLineEnd(handle: FileHandle, size: number): Promise<number> {
  const step = 64 * 1024;
  const buffer = Buffer.alloc(step);
  for (let end = size; end > 0; end -= step) {
    const start = Math.max(0, end - step);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const nl = buffer.subarray(0, bytesRead).lastIndexOf(10);
    if (nl >= 0) return start + nl + 1;
  }
  return 0;
}
