/**
 * Line chunks of a pipe or socket descriptor (standard input in `cmd | apachescan -`), read
 * by a worker thread (`pipeReader.ts`) into shared slots of up to 1 MiB: the main thread
 * splits and parses large chunks as it does for a file, while the pipe's small reads and
 * their wake-ups happen on the worker's thread. Each slot is lent to the splitter during one
 * `push` and then given back. Until the worker is up (some tens of ms), this thread reads the
 * pipe itself into a reused buffer; then it stops reading and tells the worker to start, so
 * the bytes stay in order. The descriptor becomes the reader's: it is closed when the reader
 * stops (standard input, output and error excepted: libuv never closes those).
 */
import type { OnReadOpts, Socket, SocketConstructorOpts } from 'node:net';
import { Observable, type Subscriber } from 'rxjs';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';
import { START, type PipeReaderData, type PipeReaderMessage } from './pipeProtocol.js';

const SLOTS = 3;
const SLOT_SIZE = 1 << 20;

/** @param reader the worker's module (tests give one that cannot start). */
export function pipeChunks(fd: number, reader: URL = new URL('./pipeReader.js', import.meta.url)): Observable<LineChunk> {
  return new Observable<LineChunk>((subscriber: Subscriber<LineChunk>) => {
    const shared = new SharedArrayBuffer(SLOTS * SLOT_SIZE);
    const views = Array.from({ length: SLOTS }, (_, i) => Buffer.from(shared, i * SLOT_SIZE, SLOT_SIZE));
    const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk));
    const early = readHere(fd, splitter, subscriber);
    let handedOver = false;
    const workerData: PipeReaderData = { fd, shared, slots: SLOTS, slotSize: SLOT_SIZE };
    // No inherited Node flags: the reader needs none, and some (`--input-type`) stop a worker from starting.
    // worker_threads is loaded by the runs that read a pipe only (start-up).
    const { Worker } = process.getBuiltinModule<'node:worker_threads'>('node:worker_threads');
    const worker = new Worker(reader, { workerData, execArgv: [] });
    worker.on('message', (message: PipeReaderMessage) => {
      if ('ready' in message) {
        handedOver = true;
        early.removeAllListeners('end');
        early.pause(); // stops reading at once (`onread` sockets stop their handle synchronously)
        worker.postMessage(START);
      } else if ('slot' in message) {
        const view = views[message.slot] as Buffer;
        splitter.push(message.length === SLOT_SIZE ? view : view.subarray(0, message.length));
        if (!subscriber.closed) worker.postMessage(message.slot);
      } else if ('end' in message) {
        splitter.end();
        subscriber.complete();
      } else {
        subscriber.error(Object.assign(new Error(message.error), message.code === undefined ? {} : { code: message.code }));
      }
    });
    // A worker that cannot start (no threads left, say) leaves the reading to this thread.
    worker.on('error', (err) => handedOver && subscriber.error(err));
    worker.on('exit', (code) => handedOver && subscriber.error(new Error(`the reader of descriptor ${fd} stopped (exit code ${code})`)));
    return () => {
      early.removeAllListeners('end');
      early.pause();
      worker.removeAllListeners('exit');
      void worker.terminate();
    };
  });
}

/**
 * The pipe read on this thread, into one reused buffer, until `pause()`: the socket is then
 * left open, never destroyed (destroying it would close the descriptor the worker reads).
 */
function readHere(fd: number, splitter: ChunkSplitter, subscriber: Subscriber<LineChunk>): Socket {
  const buffer = Buffer.allocUnsafe(1 << 16);
  const options: SocketConstructorOpts & { readonly onread: OnReadOpts } = {
    fd,
    readable: true,
    writable: false,
    onread: {
      buffer,
      callback: (bytesRead: number) => {
        splitter.push(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
        return !subscriber.closed;
      },
    },
  };
  const socket = new (process.getBuiltinModule<'node:net'>('node:net').Socket)(options);
  socket.once('end', () => {
    splitter.end();
    subscriber.complete();
  });
  socket.once('error', (err) => subscriber.error(err));
  return socket;
}
