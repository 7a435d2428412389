/**
 * An open file being read as lines: handle, identity, and the splitter state (which knows the
 * offset after the last complete line and holds the unterminated one). Reads go in bounded
 * chunks into caller-owned buffers (with a spare one, the next read runs while a chunk's lines
 * are emitted).
 */
import type { FileHandle } from 'node:fs/promises';
import { fingerprintOf, headExtends, readHead, type FilePosition } from './fileIdentity.js';
import { flushSplitter, initialSplitter, splitChunk, type SplitterState } from './lineSplitter.js';
import type { LineChunk } from './lineChunk.js';
import { flushRanges, splitRanges, type RangeViews } from './rangeSplitter.js';

/** Lines read in one go from one file, with the position just after the last of them. */
export interface TailChunk {
  /** Complete lines, without `\n` / `\r\n`. */
  readonly lines: string[];
  /** Indices into `lines` of overlong lines (cut to maxLineBytes; count them invalid). */
  readonly overlong: number[];
  /** For each line, the byte offset just after its newline (in `position`'s file). */
  readonly ends: number[];
  /** Byte offset where the first line starts. */
  readonly start: number;
  /** The file read and the offset just after the last line (`ends.at(-1)`). */
  readonly position: FilePosition;
}

/**
 * The same lines as byte ranges (when the settings carry `views`): no string per line. The
 * view is lent, valid during the emit call only; `view.offsets[i]` is line i's end offset.
 */
export interface TailBytes {
  readonly view: LineChunk;
  /** Byte offset where the first line starts. */
  readonly start: number;
  /** The file read and the offset just after the last line of the view. */
  readonly position: FilePosition;
}

export type TailOutput = TailChunk | TailBytes;

export interface Cursor {
  readonly handle: FileHandle;
  readonly dev: number;
  readonly ino: number;
  /** The file's first bytes as last seen (at most fingerprintBytes). */
  head: Buffer;
  fingerprint: string;
  splitter: SplitterState;
}

export interface ReadSettings {
  readonly buffer: Buffer;
  /** A second buffer of the same size: the next read runs while one is consumed. */
  readonly spare?: Buffer | undefined;
  readonly maxLineBytes: number;
  readonly fingerprintBytes: number;
  /** Set: lines are emitted as byte ranges (`TailBytes`) in these reused views. */
  readonly views?: RangeViews | undefined;
}

export async function openCursor(handle: FileHandle, offset: number, fingerprintBytes: number): Promise<Cursor> {
  const st = await handle.stat();
  const head = await readHead(handle, fingerprintBytes);
  return { handle, dev: st.dev, ino: st.ino, head, fingerprint: fingerprintOf(head), splitter: initialSplitter(offset) };
}

/** The next byte to read (after the held unterminated line). */
export function readPosition(cursor: Cursor): number {
  return cursor.splitter.offset + cursor.splitter.partial;
}

export function positionOf(cursor: Cursor): FilePosition {
  const { dev, ino, fingerprint, head, splitter } = cursor;
  return { dev, ino, fingerprint, fingerprintBytes: head.length, offset: splitter.offset };
}

/** Starts the cursor over at offset 0 (the file was truncated). */
export async function restartCursor(cursor: Cursor, fingerprintBytes: number): Promise<void> {
  cursor.splitter = initialSplitter(0);
  cursor.head = await readHead(cursor.handle, fingerprintBytes);
  cursor.fingerprint = fingerprintOf(cursor.head);
}

export type ReadOutcome = 'eof' | 'rewritten' | 'stopped';

/**
 * Reads to end of file, emitting one chunk per read. With `verify`, the first bytes are
 * checked after each read: if they no longer extend the known head, the file was truncated
 * and rewritten, and the read is dropped unconsumed ('rewritten'). Reads 'stopped' early once
 * `stopped()` turns true. With a `spare` buffer, the next read runs while a full one is
 * consumed (it is still checked, after it completes, before its lines go out).
 */
export async function readToEnd(
  cursor: Cursor,
  settings: ReadSettings,
  verify: boolean,
  emit: (chunk: TailOutput) => void,
  stopped: () => boolean,
): Promise<{ outcome: ReadOutcome; bytes: number }> {
  const { fingerprintBytes } = settings;
  const buffers = settings.spare === undefined ? [settings.buffer] : [settings.buffer, settings.spare];
  let current = 0;
  let position = readPosition(cursor);
  let pending: Promise<number> | undefined;
  const readInto = (buffer: Buffer, at: number): Promise<number> =>
    cursor.handle.read(buffer, 0, buffer.length, at).then((r) => r.bytesRead);
  let bytes = 0;
  try {
    for (;;) {
      if (stopped()) return { outcome: 'stopped', bytes };
      const buffer = buffers[current] as Buffer;
      const read = pending ?? readInto(buffer, position);
      pending = undefined;
      const bytesRead = await read;
      if (bytesRead === 0) return { outcome: 'eof', bytes };
      if (verify) {
        const head = await readHead(cursor.handle, fingerprintBytes);
        if (!headExtends(head, cursor.head)) return { outcome: 'rewritten', bytes };
        if (head.length > cursor.head.length) {
          cursor.head = head;
          cursor.fingerprint = fingerprintOf(head);
        }
      }
      if (stopped()) return { outcome: 'stopped', bytes };
      bytes += bytesRead;
      position += bytesRead;
      const full = bytesRead === buffer.length;
      if (full && buffers.length > 1) {
        current = 1 - current;
        pending = readInto(buffers[current] as Buffer, position);
      }
      consume(cursor, settings, buffer.subarray(0, bytesRead), emit);
      if (!full) return { outcome: 'eof', bytes };
    }
  } finally {
    // A read still running writes into a buffer the next call uses: let it finish first.
    if (pending !== undefined) await pending.catch(() => 0);
  }
}

/** The lines of one read, as byte ranges or strings. */
function consume(cursor: Cursor, settings: ReadSettings, chunk: Buffer, emit: (chunk: TailOutput) => void): void {
  const { maxLineBytes, views } = settings;
  if (views !== undefined) {
    cursor.splitter = splitRanges(cursor.splitter, chunk, maxLineBytes, views, emitBytes(cursor, emit));
    return;
  }
  const start = cursor.splitter.offset;
  const step = splitChunk(cursor.splitter, chunk, maxLineBytes);
  cursor.splitter = step.state;
  if (step.batch.lines.length > 0) emit({ ...step.batch, start, position: positionOf(cursor) });
}

/** Emits the held unterminated line, if any, as a last line (the file is being left). */
export function flushCursor(cursor: Cursor, settings: ReadSettings, emit: (chunk: TailOutput) => void): void {
  const { maxLineBytes, views } = settings;
  if (views !== undefined) {
    cursor.splitter = flushRanges(cursor.splitter, maxLineBytes, views, emitBytes(cursor, emit));
    return;
  }
  const start = cursor.splitter.offset;
  const step = flushSplitter(cursor.splitter, maxLineBytes);
  cursor.splitter = step.state;
  if (step.batch.lines.length > 0) emit({ ...step.batch, start, position: positionOf(cursor) });
}

/** Emits a view of the cursor's file, positioned after its last line. */
function emitBytes(cursor: Cursor, emit: (chunk: TailOutput) => void): (view: LineChunk, start: number) => void {
  const { dev, ino, fingerprint, head } = cursor;
  return (view, start) => emit({ view, start, position: { dev, ino, fingerprint, fingerprintBytes: head.length, offset: view.offsets[view.count - 1] as number } });
}
