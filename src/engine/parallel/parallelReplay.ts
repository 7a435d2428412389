/**
 * A file read once and parsed on worker threads, for a replay of a big file: this thread
 * reads 1 MiB at a time, cuts at the last newline and splits the segment into its lines with
 * the one splitter (`segmentLines.ts`; the worker, the longer of the two threads, only parses);
 * each segment goes to the least busy worker (`parseWorker.ts`), which parses its chunks of
 * lines as this thread would (the one batch parser) and sends back its rows; segments are handed
 * on in their order, as the batches `parseAccessLog` would make of the file (the same rows,
 * invalid lines, texts and offsets; only where batches are cut differs). Workers intern hosts
 * and sections in tables of their own: their ids are mapped to ids of one table of this
 * thread (lazily, through an array per worker, cleared at either table's new generation), so
 * batches name them with one dictionary whatever worker parsed them.
 *
 * Files smaller than `minBytes`, gzip files, anything that is not a regular file, and a file
 * that finds its run's `budget` of workers taken by other files are read and parsed on this thread (`streamedLogFile` and `parseAccessLog`). Pausable (a merge of
 * several files holds a file back). A worker's failure is the source's error; the end, an
 * error or an unsubscribe terminates the workers.
 */
import { close, open, read } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Worker } from 'node:worker_threads';
import { defer, finalize, from, Observable, switchMap, type OperatorFunction, type Subscriber } from 'rxjs';
import { FileError, toFileError } from '../../errors.js';
import { pauseOf, withPause } from '../../core/pausable.js';
import { ReadGate } from '../../source/chunkReader.js';
import { isGzipFile } from '../../source/gzipFile.js';
import { DEFAULT_MAX_LINE_BYTES, LineChunk } from '../../source/lineChunk.js';
import { streamedLogFile } from '../../source/streamedLogFile.js';
import { InternTable, MAX_KEY } from '../../parse/internTable.js';
import { SECTION_SEEDS } from '../../parse/byteLineParser.js';
import { formatHasDuration, resolveFormat } from '../../parse/formats.js';
import { BATCH_ROWS, RecordBatch } from '../../parse/recordBatch.js';
import type { ParsedSegment, ParseWorkerData, Segment, WorkerFailure } from './parseProtocol.js';
import { lineColumns, SegmentLines } from './segmentLines.js';

/**
 * Files from this size on are parsed on a worker by default: below it, on a machine whose
 * other core is busy, the worker's start and copies cost about what it saves (README, Performance).
 */
export const DEFAULT_PARALLEL_MIN_BYTES = 256 * 1024 * 1024;
/** Files from this size on are parsed on workers when a worker count is given (a smaller file is one segment). */
export const GIVEN_PARALLEL_MIN_BYTES = 1024 * 1024;
/** Bytes read per segment. */
const READ_SIZE = 1024 * 1024;
/** Segments in flight per worker (parsed, or waiting to be). */
const PER_WORKER = 2;
const NL = 0x0a;

export interface ParallelReplayOptions {
  readonly format: string;
  /** Worker threads (at least 1). */
  readonly workers: number;
  /** Smaller files are parsed on this thread. */
  readonly minBytes: number;
  /** Bytes per read (a segment's size, but for the line carried over). Default 1 MiB. */
  readonly readBytes?: number;
  /** The worker's module (tests give one that fails). */
  readonly workerUrl?: URL;
  /** Workers shared with the other files of the run: `workers` (or fewer) are taken from it, none left: parsed on this thread. */
  readonly budget?: WorkerBudget;
}

/**
 * Worker threads shared by the files of one run: a big file takes its workers when it starts
 * and gives them back at its end, so a merge of several big files starts no more than the
 * budget (the CLI's default: one in all, not one per file).
 */
export class WorkerBudget {
  constructor(private free: number) {}

  /** Up to `wanted` workers (0: none left). */
  take(wanted: number): number {
    const n = Math.max(0, Math.min(wanted, this.free));
    this.free -= n;
    return n;
  }

  give(n: number): void {
    this.free += n;
  }
}

/**
 * The record batches of the file at `path` (read once), parsed on workers when it is a big
 * plain file, else by `parse` here; pausable.
 */
export function parallelReplay(
  path: string,
  options: ParallelReplayOptions,
  parse: OperatorFunction<LineChunk, RecordBatch>,
): Observable<RecordBatch> {
  const gate = new ReadGate();
  let fallback: Observable<LineChunk> | undefined;
  let paused = false;
  const batches = defer(() => from(bigPlainFile(path, options.minBytes))).pipe(
    switchMap((big) => {
      const budget = options.budget;
      const workers = !big ? 0 : budget === undefined ? options.workers : budget.take(options.workers);
      if (workers > 0) {
        const onWorkers = parsedOnWorkers(path, { ...options, workers }, gate);
        return budget === undefined ? onWorkers : onWorkers.pipe(finalize(() => budget.give(workers)));
      }
      const lines = streamedLogFile(path);
      fallback = lines;
      if (paused) pauseOf(lines)?.pause();
      return lines.pipe(parse);
    }),
  );
  return withPause(batches, {
    pause: () => {
      paused = true;
      gate.pause();
      if (fallback !== undefined) pauseOf(fallback)?.pause();
    },
    resume: () => {
      paused = false;
      gate.resume();
      if (fallback !== undefined) pauseOf(fallback)?.resume();
    },
  });
}

/** A regular, uncompressed file of at least `minBytes` bytes (errors: false, the usual path reports them). */
async function bigPlainFile(path: string, minBytes: number): Promise<boolean> {
  try {
    const stats = await stat(path);
    if (!stats.isFile() || stats.size < minBytes || stats.size === 0) return false;
    return !(await isGzipFile(path));
  } catch {
    return false;
  }
}

function parsedOnWorkers(path: string, options: ParallelReplayOptions, gate: ReadGate): Observable<RecordBatch> {
  return new Observable<RecordBatch>((subscriber) => {
    const run = new WorkerRun(path, options, gate, subscriber);
    run.start();
    return () => run.stop();
  });
}

/** Per worker: its names as this thread knows them, and its ids mapped to ours (id + 1; 0: not mapped yet). */
interface WorkerNames {
  hosts: string[];
  sections: string[];
  readonly hostMap: Int32Array;
  readonly sectionMap: Int32Array;
}

/** The intern tables' capacity in the workers (BatchParser: 16 bits, half used). */
const WORKER_IDS = 1 << 15;

class WorkerRun {
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly names: WorkerNames[] = [];
  private readonly free: ArrayBuffer[] = [];
  /** Buffers of parsed segments' columns, handed on: given back to a worker with the next segment. */
  private readonly spareColumns: ArrayBuffer[] = [];
  /** Buffers of parsed segments' lines, handed on: reused for a later segment's. */
  private readonly spareLines: ArrayBuffer[] = [];
  /** Cuts each segment into lines before it goes to a worker. */
  private readonly lines = new SegmentLines(DEFAULT_MAX_LINE_BYTES);
  private waitingForBuffer: (() => void) | undefined;
  private readonly done = new Map<number, { parsed: ParsedSegment; worker: number }>();
  private sent = 0;
  private next = 0;
  private readingDone = false;
  private stopped = false;
  private readonly hosts = new InternTable(16);
  private readonly sections = new InternTable(16, SECTION_SEEDS);
  private readonly batch: RecordBatch;
  private readonly chunk = new LineChunk();
  private readonly rowLine = new Int32Array(BATCH_ROWS);
  private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES;
  private readonly readSize: number;
  private readonly textOf = (row: number): string => this.chunk.text(this.rowLine[row] as number);

  constructor(
    private readonly path: string,
    private readonly options: ParallelReplayOptions,
    private readonly gate: ReadGate,
    private readonly subscriber: Subscriber<RecordBatch>,
  ) {
    this.readSize = options.readBytes ?? READ_SIZE;
    this.batch = new RecordBatch(resolveFormat(options.format));
    this.batch.durations = formatHasDuration(options.format);
    this.batch.textOf = this.textOf;
    this.batch.lines = { chunk: this.chunk, rowLine: this.rowLine };
  }

  start(): void {
    const { Worker } = process.getBuiltinModule<'node:worker_threads'>('node:worker_threads');
    const url = this.options.workerUrl ?? new URL('./parseWorker.js', import.meta.url);
    const workerData: ParseWorkerData = { format: this.options.format, maxLineBytes: this.maxLineBytes };
    for (let i = 0; i < this.options.workers; i++) {
      // No inherited Node flags (some stop a worker from starting).
      const worker = new Worker(url, { workerData, execArgv: [] });
      worker.on('message', (message: ParsedSegment | WorkerFailure) => this.onMessage(i, message));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => this.stopped || this.fail(new Error(`a parsing worker stopped (exit code ${code})`)));
      this.workers.push(worker);
      this.busy.push(0);
      this.names.push({ hosts: [], sections: [], hostMap: new Int32Array(WORKER_IDS), sectionMap: new Int32Array(WORKER_IDS) });
    }
    const buffers = this.options.workers * PER_WORKER + 1;
    for (let i = 0; i < buffers; i++) this.free.push(new ArrayBuffer(this.readSize + this.maxLineBytes + 2));
    this.read().catch((err: NodeJS.ErrnoException) =>
      this.fail(toFileError(err instanceof FileError ? err : Object.assign(err, { code: err.code ?? 'EIO' }), this.path)),
    );
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const worker of this.workers) void worker.terminate();
    this.waitingForBuffer?.();
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.subscriber.error(err);
  }

  /** The read loop: segments of whole lines, the line cut by a read's end carried into the next (its first maxLineBytes + 2 bytes). */
  private async read(): Promise<void> {
    const fd = await new Promise<number>((resolve, reject) =>
      open(this.path, 'r', (err, fd) => (err === null ? resolve(fd) : reject(err))),
    );
    try {
      const keep = this.maxLineBytes + 2;
      const head = Buffer.allocUnsafe(keep);
      let headLength = 0;
      let skipped = 0;
      let position = 0;
      /** Input offset of the line the head holds (or of the next byte). */
      let base = 0;
      for (;;) {
        await this.gate.opened();
        const buffer = await this.takeBuffer();
        if (buffer === undefined) return;
        const bytes = Buffer.from(buffer);
        head.copy(bytes, 0, 0, headLength);
        const n = await new Promise<number>((resolve, reject) =>
          read(fd, bytes, headLength, this.readSize, position, (err, got) => (err === null ? resolve(got) : reject(err))),
        );
        if (this.stopped) return;
        const readAt = position;
        position += n;
        if (n === 0) {
          if (headLength > 0 || skipped > 0) this.send(buffer, headLength, base, headLength, skipped, true);
          else this.free.push(buffer);
          this.readingDone = true;
          this.flush();
          return;
        }
        const end = headLength + n;
        const nl = bytes.lastIndexOf(NL, end - 1);
        if (nl < headLength) {
          // No newline: the line goes on; keep its first `keep` bytes, count the rest.
          const kept = Math.min(end, keep);
          bytes.copy(head, headLength, headLength, kept);
          skipped += end - kept;
          headLength = kept;
          this.free.push(buffer);
          continue;
        }
        const length = nl + 1;
        const segmentBase = base;
        const segmentHead = headLength;
        const segmentSkipped = skipped;
        base = readAt + (nl + 1 - headLength);
        const tail = end - (nl + 1);
        headLength = Math.min(tail, keep);
        bytes.copy(head, 0, nl + 1, nl + 1 + headLength);
        skipped = tail - headLength;
        this.send(buffer, length, segmentBase, segmentHead, segmentSkipped, false); // transfers the buffer: after the copy of the line it ends with
      }
    } finally {
      close(fd, () => undefined);
    }
  }

  private takeBuffer(): Promise<ArrayBuffer | undefined> | ArrayBuffer | undefined {
    if (this.stopped) return undefined;
    const buffer = this.free.pop();
    if (buffer !== undefined) return buffer;
    return new Promise<void>((resolve) => (this.waitingForBuffer = resolve)).then(() => {
      this.waitingForBuffer = undefined;
      return this.stopped ? undefined : this.free.pop();
    });
  }

  /** Cuts the segment `buffer[0, length)` into lines here (`SegmentLines.cut`) and sends it to the least busy worker. */
  private send(buffer: ArrayBuffer, length: number, base: number, headLength: number, skipped: number, last: boolean): void {
    const lines = this.lines.cut(Buffer.from(buffer, 0, length), base, headLength, skipped, last, this.spareLines.pop());
    const given: Segment = {
      seq: this.sent,
      buffer,
      length,
      lines,
      lineCount: this.lines.count,
      chunkLines: this.lines.chunkLines,
      spare: undefined,
    };
    let best = 0;
    for (let i = 1; i < this.workers.length; i++) if ((this.busy[i] as number) < (this.busy[best] as number)) best = i;
    this.busy[best] = (this.busy[best] as number) + 1;
    this.sent++;
    const spare = this.spareColumns.pop();
    const segment = spare === undefined ? given : { ...given, spare };
    (this.workers[best] as Worker).postMessage(segment, spare === undefined ? [buffer, lines] : [buffer, lines, spare]);
  }

  private onMessage(worker: number, message: ParsedSegment | WorkerFailure): void {
    if (this.stopped) return;
    if ('error' in message) {
      this.fail(new Error(`a parsing worker failed: ${message.error}`));
      return;
    }
    this.busy[worker] = (this.busy[worker] as number) - 1;
    this.done.set(message.seq, { parsed: message, worker });
    this.flush();
  }

  /** Hands on the parsed segments that are next in order; completes after the last. */
  private flush(): void {
    for (;;) {
      const entry = this.done.get(this.next);
      if (entry === undefined) break;
      this.done.delete(this.next);
      this.next++;
      this.emit(entry.parsed, this.names[entry.worker] as WorkerNames);
      if (this.stopped) return;
      this.free.push(entry.parsed.buffer);
      this.spareColumns.push(entry.parsed.times.buffer as ArrayBuffer);
      this.spareLines.push(entry.parsed.lines);
      this.waitingForBuffer?.();
    }
    if (this.readingDone && this.next === this.sent) {
      this.stop();
      this.subscriber.complete();
    }
  }

  private emit(parsed: ParsedSegment, names: WorkerNames): void {
    const { batch, chunk, rowLine, subscriber } = this;
    chunk.bytes = Buffer.from(parsed.buffer, 0, parsed.length);
    const cut = lineColumns(parsed.lines, parsed.lineCount);
    let line = 0;
    let row = 0;
    for (const info of parsed.batches) {
      if (info.hostsFromZero) {
        names.hosts = [];
        names.hostMap.fill(0);
      }
      if (info.sectionsFromZero) {
        names.sections = [];
        names.sectionMap.fill(0);
      }
      for (const name of info.hostNames) names.hosts.push(name);
      for (const name of info.sectionNames) names.sections.push(name);
      const lines = info.lines;
      const rows = info.rows;
      if (rows > 0) {
        chunk.count = lines;
        chunk.starts.set(cut.starts.subarray(line, line + lines));
        chunk.ends.set(cut.ends.subarray(line, line + lines));
        chunk.overlong.set(cut.overlong.subarray(line, line + lines));
        chunk.offsets.set(cut.offsets.subarray(line, line + lines));
        batch.reset();
        batch.count = rows;
        batch.times.set(parsed.times.subarray(row, row + rows));
        batch.status.set(parsed.status.subarray(row, row + rows));
        batch.bytes.set(parsed.bytes.subarray(row, row + rows));
        rowLine.set(parsed.rowLine.subarray(row, row + rows));
        if (this.workers.length === 1) {
          // One worker: its dictionaries, as this thread knows them, are the batches' (no mapping).
          batch.hostIds.set(parsed.hostIds.subarray(row, row + rows));
          batch.sectionIds.set(parsed.sectionIds.subarray(row, row + rows));
          batch.hostDict = names.hosts;
          batch.sectionDict = names.sections;
        } else {
          this.roomFor(rows);
          this.mapIds(parsed, row, rows, names);
          batch.hostDict = this.hosts.dictionary;
          batch.sectionDict = this.sections.dictionary;
        }
        for (const invalid of info.invalid) batch.invalid.push(invalid);
        subscriber.next(batch);
        if (this.stopped) return;
      }
      line += lines;
      row += rows;
    }
  }

  /** Room in our tables for `rows` more names: a batch never spans two of their generations. */
  private roomFor(rows: number): void {
    const clearHosts = !this.hosts.hasRoom(rows, rows * MAX_KEY);
    const clearSections = !this.sections.hasRoom(rows, rows * MAX_KEY);
    if (clearHosts) this.hosts.clear();
    if (clearSections) this.sections.clear();
    for (const names of this.names) {
      if (clearHosts) names.hostMap.fill(0);
      if (clearSections) names.sectionMap.fill(0);
    }
  }

  private mapIds(parsed: ParsedSegment, from: number, rows: number, names: WorkerNames): void {
    const { hostIds, sectionIds, status } = this.batch;
    const { hostMap, sectionMap } = names;
    for (let r = 0; r < rows; r++) {
      if (status[r] === 0) continue;
      const h = parsed.hostIds[from + r] as number;
      let gh = hostMap[h] as number;
      if (gh === 0) gh = hostMap[h] = this.hosts.idOf(names.hosts[h] as string) + 1;
      hostIds[r] = gh - 1;
      const s = parsed.sectionIds[from + r] as number;
      let gs = sectionMap[s] as number;
      if (gs === 0) gs = sectionMap[s] = this.sections.idOf(names.sections[s] as string) + 1;
      sectionIds[r] = gs - 1;
    }
  }
}
