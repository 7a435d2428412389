/**
 * A parsing worker (`parallelReplay.ts` starts them): takes segments of whole lines, splits
 * them with the one splitter and parses them with the one batch parser, exactly as the main
 * thread would, and sends back their lines and rows in columns (the bytes go back too: the
 * main thread keeps them for the rows' text). Its intern tables are its own: each batch says
 * which names its ids gained since the previous one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchParser } from '../../parse/batchParser.js';
import type { RecordBatch } from '../../parse/recordBatch.js';
import { ChunkSplitter, type LineChunk } from '../../source/lineChunk.js';
import type { BatchInfo, ParsedSegment, ParseWorkerData, Segment, WorkerFailure } from './parseProtocol.js';

/** Columns that grow as a segment is parsed (kept from segment to segment). */
class Columns {
  size = 0;
  starts = new Int32Array(8192);
  ends = new Int32Array(8192);
  overlong = new Uint8Array(8192);
  offsets = new Float64Array(8192);
  rows = 0;
  times = new Float64Array(8192);
  status = new Uint16Array(8192);
  bytes = new Float64Array(8192);
  hostIds = new Int32Array(8192);
  sectionIds = new Int32Array(8192);
  rowLine = new Int32Array(8192);

  roomForLines(more: number): void {
    if (this.size + more <= this.starts.length) return;
    const n = Math.max(this.starts.length * 2, this.size + more);
    this.starts = grown(this.starts, new Int32Array(n));
    this.ends = grown(this.ends, new Int32Array(n));
    this.overlong = grown(this.overlong, new Uint8Array(n));
    this.offsets = grown(this.offsets, new Float64Array(n));
  }

  roomForRows(more: number): void {
    if (this.rows + more <= this.times.length) return;
    const n = Math.max(this.times.length * 2, this.rows + more);
    this.times = grown(this.times, new Float64Array(n));
    this.status = grown(this.status, new Uint16Array(n));
    this.bytes = grown(this.bytes, new Float64Array(n));
    this.hostIds = grown(this.hostIds, new Int32Array(n));
    this.sectionIds = grown(this.sectionIds, new Int32Array(n));
    this.rowLine = grown(this.rowLine, new Int32Array(n));
  }
}

function grown<T extends Int32Array | Uint8Array | Uint16Array | Float64Array>(old: T, next: T): T {
  next.set(old as never);
  return next;
}

/** The names a dictionary gained since the last batch sent (all of them after a new generation). */
class DictionaryDelta {
  private dict: readonly string[] | undefined;
  private sent = 0;

  take(dict: readonly string[]): { fromZero: boolean; names: readonly string[] } {
    const fromZero = dict !== this.dict;
    if (fromZero) {
      this.dict = dict;
      this.sent = 0;
    }
    const names = dict.length > this.sent ? dict.slice(this.sent) : [];
    this.sent = dict.length;
    return { fromZero, names };
  }
}

function serve(port: NonNullable<typeof parentPort>, data: ParseWorkerData): void {
  const parser = new BatchParser(data.format);
  const columns = new Columns();
  const hosts = new DictionaryDelta();
  const sections = new DictionaryDelta();
  let batches: BatchInfo[] = [];
  let segment: Buffer = Buffer.alloc(0);
  /** A columns buffer the main thread gave back, for the next segment's. */
  let spare: ArrayBuffer | undefined;

  const onBatch = (batch: RecordBatch, lines: number): void => {
    const c = columns;
    c.roomForRows(batch.count);
    const at = c.rows;
    c.times.set(batch.times.subarray(0, batch.count), at);
    c.status.set(batch.status.subarray(0, batch.count), at);
    c.bytes.set(batch.bytes.subarray(0, batch.count), at);
    c.hostIds.set(batch.hostIds.subarray(0, batch.count), at);
    c.sectionIds.set(batch.sectionIds.subarray(0, batch.count), at);
    c.rowLine.set((batch.lines as { rowLine: Int32Array }).rowLine.subarray(0, batch.count), at);
    c.rows += batch.count;
    const h = hosts.take(batch.hostDict);
    const s = sections.take(batch.sectionDict);
    batches.push({
      lines,
      rows: batch.count,
      invalid: batch.invalid.slice(),
      hostsFromZero: h.fromZero,
      hostNames: h.names,
      sectionsFromZero: s.fromZero,
      sectionNames: s.names,
    });
  };

  const onChunk = (chunk: LineChunk): void => {
    const c = columns;
    const n = chunk.count;
    c.roomForLines(n);
    const at = c.size;
    // Ranges in the segment's bytes: a chunk of the segment is a view at some offset of it; the
    // splitter's own carry only ever holds an overlong line (empty range) or a last segment that
    // is one unterminated line (the carry then holds the segment from its start).
    const shift = chunk.bytes.buffer === segment.buffer ? chunk.bytes.byteOffset - segment.byteOffset : 0;
    for (let i = 0; i < n; i++) {
      c.starts[at + i] = (chunk.starts[i] as number) + shift;
      c.ends[at + i] = (chunk.ends[i] as number) + shift;
    }
    c.overlong.set(chunk.overlong.subarray(0, n), at);
    c.offsets.set(chunk.offsets.subarray(0, n), at);
    c.size += n;
    let emitted = false;
    parser.parseChunk(chunk, (batch) => {
      emitted = true;
      onBatch(batch, n);
    });
    if (!emitted)
      batches.push({ lines: n, rows: 0, invalid: [], hostsFromZero: false, hostNames: [], sectionsFromZero: false, sectionNames: [] });
  };

  const splitter = new ChunkSplitter(onChunk, 0, data.maxLineBytes);
  port.on('message', (message: Segment) => {
    try {
      segment = Buffer.from(message.buffer, 0, message.length);
      columns.size = 0;
      columns.rows = 0;
      batches = [];
      splitter.reset(message.base);
      if (message.skipped > 0) {
        splitter.push(segment.subarray(0, message.headLength));
        splitter.skipInLine(message.skipped);
        splitter.push(segment.subarray(message.headLength));
      } else splitter.push(segment);
      if (message.last) splitter.end();
      const c = columns;
      // Every column in one buffer (one transfer; the main thread hands it back with a later segment).
      const L = c.size;
      const R = c.rows;
      const need = 8 * (L + 2 * R) + 4 * (2 * L + 3 * R) + 2 * R + L;
      if (message.spare !== undefined) spare = message.spare;
      const out = spare !== undefined && spare.byteLength >= need ? spare : new ArrayBuffer(Math.ceil(need * 1.25));
      spare = undefined;
      let at = 0;
      const take = <T extends Float64Array | Int32Array | Uint16Array | Uint8Array>(
        make: (b: ArrayBuffer, at: number, n: number) => T,
        from: T,
        n: number,
        size: number,
      ): T => {
        const view = make(out, at, n);
        view.set(from.subarray(0, n) as never);
        at += n * size;
        return view;
      };
      const f64 = (b: ArrayBuffer, o: number, n: number) => new Float64Array(b, o, n);
      const i32 = (b: ArrayBuffer, o: number, n: number) => new Int32Array(b, o, n);
      const offsets = take(f64, c.offsets, L, 8);
      const times = take(f64, c.times, R, 8);
      const bytes = take(f64, c.bytes, R, 8);
      const starts = take(i32, c.starts, L, 4);
      const ends = take(i32, c.ends, L, 4);
      const hostIds = take(i32, c.hostIds, R, 4);
      const sectionIds = take(i32, c.sectionIds, R, 4);
      const rowLine = take(i32, c.rowLine, R, 4);
      const status = take((b, o, n) => new Uint16Array(b, o, n), c.status, R, 2);
      const overlong = take((b, o, n) => new Uint8Array(b, o, n), c.overlong, L, 1);
      const parsed: ParsedSegment = {
        seq: message.seq,
        buffer: message.buffer,
        length: message.length,
        starts,
        ends,
        overlong,
        offsets,
        times,
        status,
        bytes,
        hostIds,
        sectionIds,
        rowLine,
        batches,
      };
      port.postMessage(parsed, [message.buffer, out]);
    } catch (err) {
      port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerFailure);
    }
  });
}

if (parentPort !== null) serve(parentPort, workerData as ParseWorkerData);
