/**
 * Where following starts: at a byte offset, at the end (after the last complete line), or at
 * a saved `FilePosition`. A saved position whose file was rotated away since is looked up
 * among the rotated siblings (same inode, or same first bytes for a copy): its unread rest is
 * read first, then the newer rotated siblings (more rotations while stopped), oldest first,
 * then the live file from offset 0. A saved file since compressed (`<base>.2.gz`: a second
 * rotation with `compress` + `delaycompress` while stopped) is found by its decompressed first
 * bytes and its rest read as a stream first (`rotatedGzip.ts`), then the newer compressed and
 * plain siblings, oldest first. A missing file is no error: it is read from offset 0 once it
 * appears. The rotated siblings there at the start count as seen (never read whole).
 */
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { openCursor, type Cursor } from './fileCursor.js';
import { headMatches, type FilePosition } from './fileIdentity.js';
import { adoptRotated, openLive, remember, retire, type FollowContext, type FollowState } from './follower.js';
import { findRotated, rotatedKeys } from './rotatedFiles.js';
import { findNewerRotatedGzip, findRotatedGzip, readGzipRest, type RotatedGzip } from './rotatedGzip.js';

export type StartAt = { readonly offset: number } | { readonly end: true } | { readonly position: FilePosition };

/**
 * Applies `start`; false when it must be tried again at the next step (the path could not be
 * stat'ed or opened: a file that is there but unreadable for now).
 */
export async function followStart(ctx: FollowContext, state: FollowState, st: Stats | undefined | null, start: StartAt): Promise<boolean> {
  if (st === null) return false;
  const live = st ? await openLive(ctx, state, 0) : undefined;
  if (st && live === undefined) return false;
  if ('position' in start) await startAtPosition(ctx, state, st, live, start.position);
  else if (live !== undefined) await startAtOffset(ctx, state, st?.size ?? 0, live, start);
  for (const key of await rotatedKeys(ctx.path)) state.seen.add(key);
  return true;
}

async function startAtOffset(
  ctx: FollowContext,
  state: FollowState,
  size: number,
  live: Cursor,
  start: { readonly offset: number } | { readonly end: true },
): Promise<void> {
  let offset = 'end' in start ? await lastLineEnd(live.handle, size) : start.offset;
  if (offset > size) {
    ctx.warn(`${ctx.path}: start offset ${offset} is past the end (${size}); reading from the start`);
    offset = 0;
  }
  live.splitter.reset(offset);
  state.current = live;
}

async function startAtPosition(
  ctx: FollowContext,
  state: FollowState,
  st: Stats | undefined,
  live: Cursor | undefined,
  saved: FilePosition,
): Promise<void> {
  const size = st?.size ?? 0;
  state.current = live;
  if (live && live.dev === saved.dev && live.ino === saved.ino && headMatches(live.head, saved) && size >= saved.offset) {
    live.splitter.reset(saved.offset);
    return;
  }
  const rotated = await findRotated(ctx.path, saved, saved.offset, live?.ino).catch(() => undefined);
  if (rotated === undefined && (await resumeInGzip(ctx, state, saved))) return;
  if (rotated === undefined) {
    ctx.warn(`${ctx.path}: the saved position's file is gone or truncated; reading from the start`);
    return;
  }
  remember(state, rotated);
  try {
    retire(ctx, state, await openCursor(rotated.handle, saved.offset, ctx.settings));
  } catch (err) {
    await rotated.handle.close().catch(() => undefined);
    ctx.warn(`${ctx.path}: ${(err as Error).message}`);
    return;
  }
  await adoptRotated(ctx, state, rotated.mtimeMs);
}

/**
 * Reads the rest of the saved file from its compressed rotation, if there is one, then the
 * newer compressed siblings whole (oldest first), and queues the newer plain ones; false if
 * there is none (or it is shorter than the saved offset, or cannot be read: warned).
 */
async function resumeInGzip(ctx: FollowContext, state: FollowState, saved: FilePosition): Promise<boolean> {
  const found = await findRotatedGzip(ctx.path, saved).catch(() => undefined);
  if (found === undefined) return false;
  // Not the read buffers: a gzip stream brings its own (the start runs without the pool's, see fileFollower.ts).
  const { fingerprintBytes, maxLineBytes } = ctx.settings;
  const options = { fingerprintBytes, maxLineBytes, emit: ctx.emit, stopped: ctx.stopped };
  const read = (file: RotatedGzip, offset: number, as?: FilePosition) =>
    readGzipRest(file, offset, options, as).catch((err: unknown) => {
      ctx.warn(`${ctx.path} (rotated): ${(err as Error).message}`);
      return 'error' as const;
    });
  const rest = await read(found, saved.offset, saved);
  if (rest === 'short' || rest === 'error') return false;
  remember(state, found);
  // logrotate (and gzip) give the .gz the file's mtime; a tool copying it at ms precision may round it up.
  const since = found.mtimeMs - 1;
  for (const newer of await findNewerRotatedGzip(ctx.path, since, found, state.seen)) {
    if (ctx.stopped()) return true;
    remember(state, newer);
    await read(newer, 0);
  }
  if (!ctx.stopped()) await adoptRotated(ctx, state, since);
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
