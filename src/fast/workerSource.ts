/**
 * The main-thread side of the parsing workers: starts `parseWorker.js` a few times on one open
 * file (worker w parses byte ranges w, w + W, ...), replays their batches into the event
 * assembler strictly in range order, and acknowledges each batch so that no worker runs more
 * than a few batches ahead. Host and section ids of each worker are translated into one
 * canonical id space. Stopping sets a flag the workers check between batches; the descriptor
 * is closed once all of them have exited.
 */
import { close } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CanonicalIds, type WorkerNames } from './canonicalIds.js';
import type { EventAssembler } from './eventAssembler.js';
import { reasonOfCode } from '../invalidReasons.js';
import { ParsedFields } from './parsedFields.js';
import { BatchColumns, type BatchMessage } from './recordBatch.js';
import type { WorkerInput, WorkerMessage } from './workerProtocol.js';

export interface WorkerRun {
  readonly fd: number;
  readonly start: number;
  readonly rangeSize: number;
  readonly format: string;
  readonly workers: number;
  readonly events: EventAssembler;
  /** True once the consumer is gone (checked between lines). */
  readonly stopped: () => boolean;
  /** After the last batch: flush the windows, emit the summary, complete. */
  readonly complete: () => void;
  readonly error: (err: Error) => void;
}

interface Feed {
  readonly worker: Worker;
  readonly queue: BatchMessage[];
  readonly hosts: WorkerNames;
  readonly sections: WorkerNames;
}

/** Starts the workers; returns the function that stops them. */
export function parseInWorkers(run: WorkerRun): () => void {
  const count = run.workers;
  const control = new SharedArrayBuffer(4 * (1 + count));
  const counters = new Int32Array(control);
  const hosts = new CanonicalIds();
  const sections = new CanonicalIds();
  const events = run.events;
  events.useNames(hosts, sections);
  hosts.onClear = () => events.beforeNewHostIds();
  sections.onClear = () => events.beforeNewSectionIds();
  const fields = new ParsedFields();
  let next = 0; // the range to replay next
  let done = false;
  let running = count;

  // Workers are asked to stop (a flag they check between batches) and exit by themselves, never
  // terminated: terminating a worker still loading its modules leaks the descriptors of the
  // files being loaded (seen as `descriptors left open` under load).
  const stop = (): void => {
    done = true;
    if (Atomics.exchange(counters, 0, 1) !== 0) return;
    for (let w = 0; w < count; w++) Atomics.notify(counters, 1 + w);
  };

  const fail = (err: Error): void => {
    if (done) return;
    stop();
    run.error(err);
  };

  /** Replays every batch that is next in range order. */
  const drain = (): void => {
    for (;;) {
      const w = next % count;
      const feed = feeds[w] as Feed;
      const batch = feed.queue.shift();
      if (batch === undefined || done) return;
      replay(batch, feed);
      feed.worker.postMessage(batch.columns, [batch.columns]);
      Atomics.add(counters, 1 + w, 1);
      Atomics.notify(counters, 1 + w);
      if (run.stopped()) return;
      if (batch.eof) {
        done = true;
        run.complete();
        return;
      }
      if (batch.last) next++;
    }
  };

  const replay = (batch: BatchMessage, feed: Feed): void => {
    feed.hosts.apply(batch.hosts);
    feed.sections.apply(batch.sections);
    events.tick();
    const { times, bytes, hostIds, sectionIds, status } = new BatchColumns(batch.columns);
    for (let i = 0; i < batch.count; i++) {
      const code = status[i] as number;
      if (code < 100) {
        events.invalidLine(reasonOfCode(code));
      } else {
        fields.time = times[i] as number;
        fields.status = code;
        fields.bytes = bytes[i] as number;
        fields.hostId = feed.hosts.canonicalOf(hostIds[i] as number);
        fields.sectionId = feed.sections.canonicalOf(sectionIds[i] as number);
        events.record(fields);
      }
      if (run.stopped()) return;
    }
  };

  const feeds: Feed[] = [];
  for (let index = 0; index < count; index++) {
    const input: WorkerInput = { fd: run.fd, start: run.start, rangeSize: run.rangeSize, format: run.format, index, stride: count, control };
    const worker = new Worker(new URL('./parseWorker.js', import.meta.url), { workerData: input });
    const feed: Feed = { worker, queue: [], hosts: hosts.forWorker(), sections: sections.forWorker() };
    feeds.push(feed);
    worker.on('message', (message: WorkerMessage) => {
      if (done) return;
      if (message.type === 'batch') {
        feed.queue.push(message);
        drain();
      } else {
        fail(Object.assign(new Error(message.message), { code: message.code, errno: message.errno, syscall: message.syscall }));
      }
    });
    worker.on('error', fail);
    worker.once('exit', () => {
      if (--running === 0) close(run.fd, () => undefined);
    });
  }
  return stop;
}
