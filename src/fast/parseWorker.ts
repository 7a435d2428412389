/**
 * The worker thread of `monitorFile`: reads the file from an open descriptor, splits and parses
 * lines, and posts them in batches (see `recordBatch.ts`), in order, then `end` (or `error`).
 * Flow control through shared memory: control[0] counts the batches the main thread has
 * consumed; the worker stays at most MAX_AHEAD batches ahead (bounded memory). control[1]
 * set to 1 asks it to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readChunks } from './chunkReader.js';
import { createLineSink } from './lineSink.js';
import { ByteLineSplitter } from './lineSplitter.js';
import { BatchWriter, type BatchMessage } from './recordBatch.js';
import type { WorkerInput, WorkerMessage } from './workerProtocol.js';

const MAX_AHEAD = 4;

const input = workerData as WorkerInput;
const control = new Int32Array(input.control);
const port = parentPort;
if (port === null) throw new Error('parseWorker must run in a worker thread');

let produced = 0;
let writer: BatchWriter | undefined;
const sink = createLineSink(input.format, (hosts, sections) => {
  writer = new BatchWriter(hosts, sections, send);
  return writer;
});
const lines = new ByteLineSplitter(sink);

function send(batch: BatchMessage): void {
  // Wait for the consumer to catch up; wake up now and then to notice a stop request.
  for (;;) {
    if (Atomics.load(control, 1) !== 0) {
      sink.stopped = true;
      return;
    }
    const consumed = Atomics.load(control, 0);
    if (produced - consumed < MAX_AHEAD) break;
    Atomics.wait(control, 0, consumed, 50);
  }
  produced++;
  port?.postMessage(batch, [batch.columns]);
}

function post(message: WorkerMessage): void {
  port?.postMessage(message);
}

const stop = readChunks(input.fd, { chunkSize: input.chunkSize, start: input.start, positioned: true, close: false }, {
  chunk: (bytes) => {
    lines.push(bytes);
    if (sink.stopped) stop();
  },
  end: () => {
    lines.end();
    writer?.flush();
    if (!sink.stopped) post({ type: 'end' });
  },
  error: (err) => {
    const { code, errno, syscall } = err as NodeJS.ErrnoException;
    post({ type: 'error', message: err.message, code, errno, syscall });
  },
});
