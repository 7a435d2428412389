/**
 * `splitChunk` (lineSplitter.ts) on bytes: the same lines, state and offsets, but handed over
 * as byte ranges (`LineChunk`, the batch view files use) instead of decoded strings. A line
 * inside the chunk is a range of it; the held unterminated line, once its newline comes, is a
 * range of its own small buffer. Views are lent: valid during the `emit` call only.
 */
import { CHUNK_LINES, type LineChunk } from './lineChunk.js';
import { extend, initialSplitter, type SplitterState } from './lineSplitter.js';

const NL = 0x0a;
const CR = 0x0d;

/** The two views a splitter reuses: one for the carried line, one for lines inside a chunk. */
export interface RangeViews {
  readonly carry: LineChunk;
  readonly lines: LineChunk;
}

/** Called per view with the file offset where its first line starts. */
export type EmitRanges = (view: LineChunk, start: number) => void;

/** Feeds one chunk (not retained); emits its complete lines, at most CHUNK_LINES per view. */
export function splitRanges(state: SplitterState, chunk: Buffer, max: number, views: RangeViews, emit: EmitRanges): SplitterState {
  const firstNl = chunk.indexOf(NL);
  if (firstNl < 0) return extend(state, chunk, max);
  let pos = 0;
  let offset = state.offset;
  if (state.partial > 0) {
    const rawLen = state.partial + firstNl;
    const room = Math.max(0, max + 1 - state.head.length);
    const kept = Buffer.concat([state.head, chunk.subarray(0, Math.min(firstNl, room))]);
    carried(views.carry, kept, rawLen, offset + rawLen + 1, max);
    emit(views.carry, offset);
    offset += rawLen + 1;
    pos = firstNl + 1;
  }
  const base = offset - pos; // file offset of chunk[0]
  const lastNl = chunk.lastIndexOf(NL);
  const view = views.lines;
  view.bytes = chunk;
  view.count = 0;
  let start = offset;
  let p = pos;
  while (p <= lastNl) {
    const nl = chunk.indexOf(NL, p);
    let end = nl;
    if (end > p && chunk[end - 1] === CR) end--;
    const i = view.count;
    view.starts[i] = p;
    if (end - p > max) {
      view.overlong[i] = 1;
      view.ends[i] = p;
    } else {
      view.overlong[i] = 0;
      view.ends[i] = end;
    }
    view.offsets[i] = base + nl + 1;
    p = nl + 1;
    if (++view.count === CHUNK_LINES) {
      emit(view, start);
      start = base + p;
      view.count = 0;
    }
  }
  if (view.count > 0) emit(view, start);
  return extend({ offset: base + p, head: Buffer.alloc(0), partial: 0 }, chunk.subarray(p), max);
}

/** At end of input: the held unterminated line, if any, as a last line. */
export function flushRanges(state: SplitterState, max: number, views: RangeViews, emit: EmitRanges): SplitterState {
  if (state.partial === 0) return state;
  const end = state.offset + state.partial;
  carried(views.carry, state.head, state.partial, end, max);
  emit(views.carry, state.offset);
  return initialSplitter(end);
}

/** One line given by its first bytes `kept` (all of them when rawLen <= max + 1), as `pushRaw` reads it. */
function carried(view: LineChunk, kept: Buffer, rawLen: number, endOffset: number, max: number): void {
  const cr = rawLen === kept.length && rawLen > 0 && kept[rawLen - 1] === CR ? 1 : 0;
  view.bytes = kept;
  view.count = 1;
  view.starts[0] = 0;
  view.offsets[0] = endOffset;
  const overlong = rawLen - cr > max;
  view.overlong[0] = overlong ? 1 : 0;
  view.ends[0] = overlong ? 0 : rawLen - cr;
}
