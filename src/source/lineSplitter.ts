/**
 * Byte-level line splitting, as a pure reducer: `(state, chunk) => { state, batch }`.
 *
 * - A line ends at `\n`; one trailing `\r` is stripped. Each line is decoded as UTF-8 as a
 *   whole, so a multi-byte character split across chunks comes out whole.
 * - An unterminated line is held (at most `maxLineBytes + 1` bytes) until its newline.
 * - A line with more than `maxLineBytes` bytes (not counting `\r\n`) is overlong: the batch
 *   carries its first `maxLineBytes` bytes and lists its index in `overlong`; the rest of it
 *   is dropped as it arrives, never held. Consumers count overlong lines as invalid.
 * - Offsets are file byte offsets: `ends[i]` is the offset just after line i's newline, and
 *   `state.offset` is where a resumed reader must start (just after the last complete line).
 */
import { isAscii } from 'node:buffer';

export const DEFAULT_MAX_LINE_BYTES = 65536;

export interface SplitterState {
  /** Byte offset just after the last complete line. */
  readonly offset: number;
  /** The first bytes (at most maxLineBytes + 1, an own copy) of the unterminated line. */
  readonly head: Buffer;
  /** Bytes of the unterminated line seen so far, including those dropped beyond `head`. */
  readonly partial: number;
}

/** The complete lines of one read, as strings, with their end offsets. */
export interface LineBatch {
  /** Complete lines, without `\n` / `\r\n`. */
  readonly lines: string[];
  /** Indices into `lines` of overlong lines (cut to their first maxLineBytes bytes). */
  readonly overlong: number[];
  /** For each line, the byte offset just after its newline. */
  readonly ends: number[];
}

const EMPTY = Buffer.alloc(0);
const NL = 10;
const CR = 13;

/** A fresh splitter whose first byte is at file offset `offset`. */
export function initialSplitter(offset = 0): SplitterState {
  return { offset, head: EMPTY, partial: 0 };
}

/**
 * Feeds one chunk.
 *
 * @param state The splitter state after the previous chunk (`initialSplitter(offset)` first).
 * @param chunk The next bytes; not retained, the caller may reuse the buffer.
 * @param maxLineBytes Longer lines are cut and flagged overlong.
 * @returns The new state and the lines completed by this chunk.
 */
export function splitChunk(
  state: SplitterState,
  chunk: Buffer,
  maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
): { state: SplitterState; batch: LineBatch } {
  let batch: LineBatch = { lines: [], overlong: [], ends: [] };
  const firstNl = chunk.indexOf(NL);
  if (firstNl < 0) return { state: extend(state, chunk, maxLineBytes), batch };
  let offset = state.offset;
  let pos = 0;
  if (state.partial > 0) {
    const rawLen = state.partial + firstNl;
    const room = Math.max(0, maxLineBytes + 1 - state.head.length);
    const kept = Buffer.concat([state.head, chunk.subarray(0, Math.min(firstNl, room))]);
    offset += rawLen + 1;
    pushRaw(batch, kept, rawLen, offset, maxLineBytes);
    pos = firstNl + 1;
  }
  const lastNl = chunk.lastIndexOf(NL);
  if (lastNl >= pos) {
    batch = { ...batch, lines: splitRegion(batch, chunk, pos, lastNl, offset, maxLineBytes) };
    offset += lastNl + 1 - pos;
    pos = lastNl + 1;
  }
  const rest = chunk.subarray(pos);
  return { state: extend({ offset, head: EMPTY, partial: 0 }, rest, maxLineBytes), batch };
}

/**
 * At end of input: the unterminated line, if any, as a last line.
 *
 * @returns A state with nothing held, and a batch of zero or one line.
 */
export function flushSplitter(
  state: SplitterState,
  maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
): { state: SplitterState; batch: LineBatch } {
  const batch: LineBatch = { lines: [], overlong: [], ends: [] };
  if (state.partial === 0) return { state, batch };
  const offset = state.offset + state.partial;
  pushRaw(batch, state.head, state.partial, offset, maxLineBytes);
  return { state: initialSplitter(offset), batch };
}

export function extend(state: SplitterState, bytes: Buffer, maxLineBytes: number): SplitterState {
  if (bytes.length === 0) return state;
  const room = Math.max(0, maxLineBytes + 1 - state.head.length);
  const head =
    room === 0 ? state.head : Buffer.concat([state.head, bytes.subarray(0, Math.min(bytes.length, room))]);
  return { offset: state.offset, head, partial: state.partial + bytes.length };
}

/** One line given by its first bytes `kept` (all of them when rawLen <= maxLineBytes + 1). */
function pushRaw(batch: LineBatch, kept: Buffer, rawLen: number, end: number, max: number): void {
  const cr = rawLen === kept.length && rawLen > 0 && kept[rawLen - 1] === CR ? 1 : 0;
  if (rawLen - cr > max) {
    batch.overlong.push(batch.lines.length);
    batch.lines.push(kept.toString('utf8', 0, max));
  } else {
    batch.lines.push(kept.toString('utf8', 0, rawLen - cr));
  }
  batch.ends.push(end);
}

/** Decoding window: strings under ~128 KiB stay out of V8's large-object space (2x faster). */
const WINDOW = 96 * 1024;

/** Appends the lines of `chunk[start, lastNl]` (which ends with a newline) to the batch. */
function splitRegion(
  batch: LineBatch,
  chunk: Buffer,
  start: number,
  lastNl: number,
  offset: number,
  max: number,
): string[] {
  let lines = batch.lines;
  let from = start;
  while (from <= lastNl) {
    let to = from + WINDOW >= lastNl ? lastNl : chunk.lastIndexOf(NL, from + WINDOW);
    if (to < from) to = chunk.indexOf(NL, from + WINDOW);
    const parts = splitWindow(batch, chunk, from, to, offset + from - start, max, lines.length);
    if (lines.length === 0) lines = parts;
    else for (const line of parts) lines.push(line);
    from = to + 1;
  }
  return lines;
}

/**
 * Lines in `chunk[start, nl]` (`chunk[nl]` is a newline), decoded in one go and split: a
 * `\n` byte is never part of a multi-byte sequence, so this equals per-line decoding. For
 * ASCII text a line's byte length is its string length; otherwise newlines are located.
 * Appends to `batch.ends` / `batch.overlong` (indices from `base`); returns the lines.
 */
function splitWindow(
  batch: LineBatch,
  chunk: Buffer,
  start: number,
  nl: number,
  offset: number,
  max: number,
  base: number,
): string[] {
  const ascii = isAscii(chunk.subarray(start, nl));
  const parts = chunk.toString(ascii ? 'ascii' : 'utf8', start, nl).split('\n');
  let lineStart = start;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const lineEnd = ascii ? lineStart + part.length : chunk.indexOf(NL, lineStart);
    const cr = part.charCodeAt(part.length - 1) === CR ? 1 : 0;
    if (lineEnd - lineStart - cr > max) {
      batch.overlong.push(base + i);
      parts[i] = chunk.toString('utf8', lineStart, lineStart + max);
    } else if (cr === 1) {
      parts[i] = part.slice(0, -1);
    }
    batch.ends.push(offset + lineEnd + 1 - start);
    lineStart = lineEnd + 1;
  }
  return parts;
}
