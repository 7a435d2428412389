/**
 * A parsing worker of `monitorFile`. The input is cut into ranges of `rangeSize` bytes; a line
 * belongs to the range it starts in. This worker reads ranges `index`, `index + stride`, ...
 * (the next one while it parses the current one), splits and parses the lines that start in
 * each (reading on past the range end to finish the last one), and posts them as batches
 * (see `recordBatch.ts`), range after range, the last batch of a range marked so.
 *
 * Flow control through shared memory (see `WorkerInput.control`): the worker stays at most
 * MAX_AHEAD batches ahead of what the main thread has consumed from it (bounded memory), and
 * stops when the stop flag is set.
 */
import { read, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createLineSink } from './lineSink.js';
import { ByteLineSplitter, CARRY } from './lineSplitter.js';
import { BatchWriter, type BatchMessage } from './recordBatch.js';
import type { WorkerInput, WorkerMessage } from './workerProtocol.js';

const MAX_AHEAD = 16;
const NEWLINE = 0x0a;

const input = workerData as WorkerInput;
const control = new Int32Array(input.control);
const consumedAt = 1 + input.index;
let produced = 0;

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(message, transfer);

function send(batch: BatchMessage): void {
  // Wait for the consumer to catch up; wake up now and then to notice a stop request.
  for (;;) {
    if (Atomics.load(control, 0) !== 0) {
      sink.stopped = true;
      return;
    }
    const consumed = Atomics.load(control, consumedAt);
    if (produced - consumed < MAX_AHEAD) break;
    Atomics.wait(control, consumedAt, consumed, 50);
  }
  produced++;
  post(batch, [batch.columns]);
}

let writer: BatchWriter | undefined;
const sink = createLineSink(input.format, (hosts, sections) => (writer = new BatchWriter(hosts, sections, send)));
const lines = new ByteLineSplitter(sink);
const { fd, rangeSize, stride } = input;
/** For reading on past a range's end (a line that runs on): small reads, rarely more than one. */
const spill = Buffer.allocUnsafe(Math.min(rangeSize, 1 << 16));

/** Column buffers that the main thread hands back once replayed. */
const recycle = (columns: ArrayBuffer): void => writer?.recycle(columns);
parentPort?.on('message', recycle);

/** A read at `position` into `buffer` (libuv's thread pool: the next range is read while this one is parsed). */
function readAt(buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, 0, length, position, (err, n) => (err === null ? resolve(n) : reject(err))));
}

/** The first read of range `range`: from the byte before it (but range 0), to its end. */
function readRangeStart(range: number, buffer: Buffer): Promise<number> {
  const from = input.start + range * rangeSize;
  return range === 0 ? readAt(buffer, rangeSize, from) : readAt(buffer, rangeSize + 1, from - 1);
}

/**
 * Splits and parses the lines that start in range `range`, given its first read (`n` bytes in
 * `buffer`), reading on past its end to finish the last one. True when the file ends in it.
 */
function parseRange(range: number, buffer: Buffer, n: number): boolean {
  let eof: boolean;
  if (range === 0) {
    eof = n < rangeSize;
    lines.push(buffer.subarray(0, n));
  } else {
    // A line starts in the range after a newline in [from - 1, from + rangeSize - 1).
    eof = n < rangeSize + 1;
    const newline = buffer.subarray(0, Math.min(n, rangeSize)).indexOf(NEWLINE);
    if (newline >= 0) lines.push(buffer.subarray(newline + 1, n));
  }
  // The last line may run on into the next ranges: read on to its end (or until it is overlong).
  let position = input.start + (range + 1) * rangeSize;
  while (lines.pending > 0 && lines.pending <= CARRY && !eof && !sink.stopped) {
    const got = readSync(fd, spill, 0, spill.length, position);
    if (got === 0) {
      eof = true;
      break;
    }
    const newline = spill.subarray(0, got).indexOf(NEWLINE);
    lines.push(spill.subarray(0, newline >= 0 ? newline + 1 : got));
    if (newline >= 0) break;
    position += got;
  }
  if (lines.pending > 0) lines.end(); // unterminated at the end of the file, or overlong
  return eof;
}

async function run(): Promise<void> {
  const buffers = [Buffer.allocUnsafe(rangeSize + 1), Buffer.allocUnsafe(rangeSize + 1)];
  let turn = 0;
  let range = input.index;
  let next = readRangeStart(range, buffers[0] as Buffer);
  try {
    while (!sink.stopped && Atomics.load(control, 0) === 0) {
      const n = await next;
      const buffer = buffers[turn] as Buffer;
      turn ^= 1;
      next = readRangeStart(range + stride, buffers[turn] as Buffer);
      writer?.startRange(range);
      const eof = parseRange(range, buffer, n);
      if (sink.stopped) break;
      writer?.endRange(eof);
      if (eof) break;
      range += stride;
    }
  } finally {
    next.catch(() => undefined);
    parentPort?.off('message', recycle);
  }
}

run().catch((err: unknown) => {
  const { message, code, errno, syscall } = err as NodeJS.ErrnoException;
  post({ type: 'error', message, code, errno, syscall });
});
