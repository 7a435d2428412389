/**
 * The main-thread side of the parsing worker: starts `parseWorker.js` on an open file, replays
 * its batches, in order, into the event assembler, and acknowledges each one so that the
 * worker may run ahead by a few batches only. Stopping terminates the worker; the descriptor
 * is closed once the worker has exited.
 */
import { close } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EventAssembler } from './eventAssembler.js';
import { ParsedFields } from './parsedFields.js';
import { BatchColumns, NameMirror, type BatchMessage } from './recordBatch.js';
import type { WorkerInput, WorkerMessage } from './workerProtocol.js';

export interface WorkerRun {
  readonly fd: number;
  readonly start: number;
  readonly chunkSize: number;
  readonly format: string;
  readonly events: EventAssembler;
  /** True once the consumer is gone (checked between lines). */
  readonly stopped: () => boolean;
  /** After the last batch: flush the windows, emit the summary, complete. */
  readonly complete: () => void;
  readonly error: (err: Error) => void;
}

/** Starts the worker; returns the function that stops it. */
export function parseInWorker(run: WorkerRun): () => void {
  const control = new SharedArrayBuffer(8);
  const counters = new Int32Array(control);
  const input: WorkerInput = { fd: run.fd, start: run.start, chunkSize: run.chunkSize, format: run.format, control };
  const worker = new Worker(new URL('./parseWorker.js', import.meta.url), { workerData: input });
  const hosts = new NameMirror();
  const sections = new NameMirror();
  let done = false;

  const stop = (): void => {
    if (!done) {
      done = true;
      Atomics.store(counters, 1, 1);
      Atomics.notify(counters, 0);
    }
    void worker.terminate();
  };

  worker.on('message', (message: WorkerMessage) => {
    if (done) return;
    if (message.type === 'batch') {
      replay(message, hosts, sections, run);
      Atomics.add(counters, 0, 1);
      Atomics.notify(counters, 0);
    } else if (message.type === 'end') {
      done = true;
      run.complete();
    } else {
      done = true;
      run.error(Object.assign(new Error(message.message), { code: message.code, errno: message.errno, syscall: message.syscall }));
    }
  });
  worker.on('error', (err) => {
    if (done) return;
    done = true;
    run.error(err);
  });
  worker.once('exit', () => close(run.fd, () => undefined));
  return stop;
}

function replay(batch: BatchMessage, hostMirror: NameMirror, sectionMirror: NameMirror, run: WorkerRun): void {
  const hosts = hostMirror.apply(batch.hosts);
  const sections = sectionMirror.apply(batch.sections);
  const { times, bytes, hostIds, sectionIds, status } = new BatchColumns(batch.columns);
  const events = run.events;
  events.tick();
  const fields = new ParsedFields();
  for (let i = 0; i < batch.count; i++) {
    const code = status[i] as number;
    if (code === 0) {
      events.invalidLine();
    } else {
      fields.time = times[i] as number;
      fields.status = code;
      fields.bytes = bytes[i] as number;
      events.record(fields, hosts[hostIds[i] as number] as string, sections[sectionIds[i] as number] as string);
    }
    if (run.stopped()) return;
  }
}
