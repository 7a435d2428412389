/**
 * An open file being read as lines: handle, identity, and its splitter (which knows the offset
 * after the last complete line and holds the unterminated one). Reads go through the one read
 * loop (`chunkReader.ts`) into the follower's two buffers (the next read runs while a chunk's
 * lines are emitted), each checked for truncation before its lines go out.
 */
import type { FileHandle } from 'node:fs/promises';
import { readChunks } from './chunkReader.js';
import { fingerprintOf, headExtends, readHead, type FilePosition } from './fileIdentity.js';
import { ChunkSplitter, type EmitLines, type LineChunk } from './lineChunk.js';

/** Lines read in one go from one file, as strings (`tailFile`), with the position just after the last of them. */
export interface TailChunk {
  /** Complete lines, without `\n` / `\r\n` (an overlong one as `OVERLONG_LINE`). */
  readonly lines: string[];
  /** Indices into `lines` of overlong lines (count them invalid). */
  readonly overlong: number[];
  /** For each line, the byte offset just after its newline (in `position`'s file). */
  readonly ends: number[];
  /** Byte offset where the first line starts. */
  readonly start: number;
  /** The file read and the offset just after the last line (`ends.at(-1)`). */
  readonly position: FilePosition;
}

/**
 * Lines read in one go from one file as byte ranges (`tailBytes`): no string per line. The
 * view is lent, valid during the emit call only; `view.offsets[i]` is line i's end offset.
 */
export interface TailBytes {
  readonly view: LineChunk;
  /** Byte offset where the first line starts. */
  readonly start: number;
  /** The file read and the offset just after the last line of the view. */
  readonly position: FilePosition;
}

export interface Cursor {
  readonly handle: FileHandle;
  readonly dev: number;
  readonly ino: number;
  /** The file's first bytes as last seen (at most fingerprintBytes). */
  head: Buffer;
  fingerprint: string;
  /** Its lines' splitter: `readOffset` is the next byte to read, `lineOffset` the end of the last complete line. */
  readonly splitter: ChunkSplitter;
}

export interface ReadSettings {
  /** One or two buffers of the same size (with two, the next read runs while one is consumed); shared by the follower's cursors. */
  readonly buffers: readonly Buffer[];
  readonly maxLineBytes: number;
  readonly fingerprintBytes: number;
}

export async function openCursor(
  handle: FileHandle,
  offset: number,
  settings: Pick<ReadSettings, 'maxLineBytes' | 'fingerprintBytes'>,
): Promise<Cursor> {
  const st = await handle.stat();
  const head = await readHead(handle, settings.fingerprintBytes);
  const splitter = new ChunkSplitter(() => undefined, offset, settings.maxLineBytes);
  return { handle, dev: st.dev, ino: st.ino, head, fingerprint: fingerprintOf(head), splitter };
}

/** The next byte to read (after the held unterminated line). */
export function readPosition(cursor: Cursor): number {
  return cursor.splitter.readOffset;
}

/** Starts the cursor over at offset 0 (the file was truncated). */
export async function restartCursor(cursor: Cursor, fingerprintBytes: number): Promise<void> {
  cursor.splitter.reset(0);
  cursor.head = await readHead(cursor.handle, fingerprintBytes);
  cursor.fingerprint = fingerprintOf(cursor.head);
}

export type ReadOutcome = 'eof' | 'rewritten' | 'stopped';

/**
 * Reads to end of file, emitting the lines of each read. With `verify`, the first bytes are
 * checked after each read: if they no longer extend the known head, the file was truncated
 * and rewritten, and the read is dropped unconsumed ('rewritten'). Reads 'stopped' early once
 * `stopped()` turns true. The next read runs while a full one is consumed (it is still
 * checked, after it completes, before its lines go out).
 */
export async function readToEnd(
  cursor: Cursor,
  settings: ReadSettings,
  verify: boolean,
  emit: (chunk: TailBytes) => void,
  stopped: () => boolean,
): Promise<{ outcome: ReadOutcome; bytes: number }> {
  const { splitter } = cursor;
  splitter.emit = emitTo(cursor, emit);
  const accept = verify
    ? (read: Buffer, at: number | null) =>
        at === 0
          ? headNowExtends(cursor, read.subarray(0, settings.fingerprintBytes), true)
          : headStillExtends(cursor, settings.fingerprintBytes)
    : undefined;
  const { outcome, bytes } = await readChunks(
    cursor.handle,
    { position: splitter.readOffset, buffers: settings.buffers, shortReadEnds: true, stopped, accept },
    (chunk) => splitter.push(chunk),
  );
  return { outcome: outcome === 'rejected' ? 'rewritten' : outcome, bytes };
}

/** Whether the file's first bytes no longer extend the known head: truncated and written again. */
export async function headRewritten(cursor: Cursor, fingerprintBytes: number): Promise<boolean> {
  return !(await headStillExtends(cursor, fingerprintBytes));
}

/** Whether the file's first bytes still extend the known head (which grows with them). */
async function headStillExtends(cursor: Cursor, fingerprintBytes: number): Promise<boolean> {
  return headNowExtends(cursor, await readHead(cursor.handle, fingerprintBytes), false);
}

/**
 * Whether `head`, the file's first bytes now, extends the known head; if longer, it becomes
 * the head (a copy of its own if `lent`: a read from offset 0, whose buffer is reused; the
 * file's start then needs no second read).
 */
function headNowExtends(cursor: Cursor, head: Buffer, lent: boolean): boolean {
  if (!headExtends(head, cursor.head)) return false;
  if (head.length > cursor.head.length) {
    cursor.head = lent ? Buffer.alloc(head.length, head) : head;
    cursor.fingerprint = fingerprintOf(cursor.head);
  }
  return true;
}

/** Emits the held unterminated line, if any, as a last line (the file is being left). */
export function flushCursor(cursor: Cursor, emit: (chunk: TailBytes) => void): void {
  cursor.splitter.emit = emitTo(cursor, emit);
  cursor.splitter.end();
}

/** Emits views of the cursor's file, positioned after their last line (with its head as known then). */
function emitTo(cursor: Cursor, emit: (chunk: TailBytes) => void): EmitLines {
  return (view, start) => {
    const { dev, ino, fingerprint, head } = cursor;
    emit({
      view,
      start,
      position: { dev, ino, fingerprint, fingerprintBytes: head.length, offset: view.offsets[view.count - 1] as number },
    });
  };
}
