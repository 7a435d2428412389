/**
 * A parsing worker (`parallelReplay.ts` starts them): takes segments of whole lines, already
 * cut by the main thread with the one splitter (`segmentLines.ts`), parses each chunk of them
 * with the one batch parser, exactly as the main thread would, and sends back the rows in
 * columns (the bytes and lines go back too: the main thread keeps them for the rows' text and
 * offsets). Its intern tables are its own: each batch says which names its ids gained since
 * the previous one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchParser } from '../../parse/batchParser.js';
import type { RecordBatch } from '../../parse/recordBatch.js';
import { LineChunk } from '../../source/lineChunk.js';
import type { BatchInfo, ParsedSegment, ParseWorkerData, Segment, WorkerFailure } from './parseProtocol.js';
import { lineColumns } from './segmentLines.js';

/** Rows that grow as a segment is parsed (kept from segment to segment). */
class Rows {
  rows = 0;
  times = new Float64Array(8192);
  status = new Uint16Array(8192);
  bytes = new Float64Array(8192);
  hostIds = new Int32Array(8192);
  sectionIds = new Int32Array(8192);
  rowLine = new Int32Array(8192);

  roomFor(more: number): void {
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

function grown<T extends Int32Array | Uint16Array | Float64Array>(old: T, next: T): T {
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
  const rows = new Rows();
  const hosts = new DictionaryDelta();
  const sections = new DictionaryDelta();
  const chunk = new LineChunk(1);
  let batches: BatchInfo[] = [];
  /** A rows buffer the main thread gave back, for the next segment's. */
  let spare: ArrayBuffer | undefined;

  const onBatch = (batch: RecordBatch, lines: number): void => {
    const c = rows;
    c.roomFor(batch.count);
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

  port.on('message', (message: Segment) => {
    try {
      rows.rows = 0;
      batches = [];
      const lines = lineColumns(message.lines, message.lineCount);
      chunk.bytes = Buffer.from(message.buffer, 0, message.length);
      let at = 0;
      for (const n of message.chunkLines) {
        // The chunk the splitter made: views of the lines (the parser reads bytes, ranges and flags).
        chunk.count = n;
        chunk.starts = lines.starts.subarray(at, at + n);
        chunk.ends = lines.ends.subarray(at, at + n);
        chunk.overlong = lines.overlong.subarray(at, at + n);
        let emitted = false;
        parser.parseChunk(chunk, (batch) => {
          emitted = true;
          onBatch(batch, n);
        });
        if (!emitted)
          batches.push({ lines: n, rows: 0, invalid: [], hostsFromZero: false, hostNames: [], sectionsFromZero: false, sectionNames: [] });
        at += n;
      }
      // Every row column in one buffer (one transfer; the main thread hands it back with a later segment).
      const c = rows;
      const R = c.rows;
      const need = 8 * 2 * R + 4 * 3 * R + 2 * R;
      if (message.spare !== undefined) spare = message.spare;
      const out = spare !== undefined && spare.byteLength >= need ? spare : new ArrayBuffer(Math.ceil(need * 1.25));
      spare = undefined;
      let offset = 0;
      const take = <T extends Float64Array | Int32Array | Uint16Array>(
        make: (b: ArrayBuffer, at: number, n: number) => T,
        from: T,
        size: number,
      ): T => {
        const view = make(out, offset, R);
        view.set(from.subarray(0, R) as never);
        offset += R * size;
        return view;
      };
      const f64 = (b: ArrayBuffer, o: number, n: number) => new Float64Array(b, o, n);
      const i32 = (b: ArrayBuffer, o: number, n: number) => new Int32Array(b, o, n);
      const parsed: ParsedSegment = {
        seq: message.seq,
        buffer: message.buffer,
        length: message.length,
        lines: message.lines,
        lineCount: message.lineCount,
        times: take(f64, c.times, 8),
        bytes: take(f64, c.bytes, 8),
        hostIds: take(i32, c.hostIds, 4),
        sectionIds: take(i32, c.sectionIds, 4),
        rowLine: take(i32, c.rowLine, 4),
        status: take((b, o, n) => new Uint16Array(b, o, n), c.status, 2),
        batches,
      };
      port.postMessage(parsed, [message.buffer, message.lines, out]);
    } catch (err) {
      port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerFailure);
    }
  });
}

if (parentPort !== null) serve(parentPort, workerData as ParseWorkerData);
