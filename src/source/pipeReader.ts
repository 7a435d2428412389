/**
 * The reading half of `pipeChunks` (src/source/pipeChunks.ts), run in a worker thread: once
 * told to start, reads a pipe or socket descriptor as data arrives and gathers it into the
 * shared slots. A slot goes
 * to the main thread when it is nearly full, or at once while the main thread has nothing to
 * do (so a live pipe is reported without delay); with every slot handed over, reading pauses
 * until one comes back.
 */
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { START, type PipeReaderData, type PipeReaderMessage } from './pipeProtocol.js';

const READ_SIZE = 1 << 16;

function read(port: NonNullable<typeof parentPort>, data: PipeReaderData): (returned: number) => void {
  const { fd, shared, slots, slotSize } = data;
  const free: number[] = Array.from({ length: slots }, (_, i) => i);
  let slot = free.shift() as number;
  let fill = 0;
  let outstanding = 0;
  let paused = false;
  const scratch = Buffer.allocUnsafe(READ_SIZE);
  const views = Array.from({ length: slots }, (_, i) => Buffer.from(shared, i * slotSize, slotSize));

  const handOver = (): void => {
    port.postMessage({ slot, length: fill } satisfies PipeReaderMessage);
    outstanding++;
    fill = 0;
    const next = free.shift();
    if (next === undefined) {
      slot = -1;
      paused = true;
      socket.pause();
    } else slot = next;
  };

  const options: SocketConstructorOpts & { readonly onread: OnReadOpts } = {
    fd,
    readable: true,
    writable: false,
    onread: {
      // Reads land in `scratch` and are copied into the current slot: the slot may change between
      // reads (handed over when the main thread asks), the buffer Node reads into may not.
      buffer: scratch,
      callback: (bytesRead: number) => {
        (views[slot] as Buffer).set(bytesRead === scratch.length ? scratch : scratch.subarray(0, bytesRead), fill);
        fill += bytesRead;
        if (outstanding === 0 || fill > slotSize - READ_SIZE) handOver();
        return !paused;
      },
    },
  };
  const socket = new Socket(options);
  socket.once('end', () => {
    if (fill > 0) port.postMessage({ slot, length: fill } satisfies PipeReaderMessage);
    fill = 0;
    port.postMessage({ end: true } satisfies PipeReaderMessage);
  });
  socket.once('error', (err: NodeJS.ErrnoException) =>
    port.postMessage({ error: err.message, ...(err.code === undefined ? {} : { code: err.code }) } satisfies PipeReaderMessage),
  );
  return (returned: number) => {
    outstanding--;
    if (slot < 0) slot = returned;
    else free.push(returned);
    if (paused) {
      paused = false;
      socket.resume();
    } else if (outstanding === 0 && fill > 0) handOver();
  };
}

if (parentPort !== null) {
  const port = parentPort;
  let giveBack: ((returned: number) => void) | undefined;
  port.on('message', (message: number) => {
    if (message === START) giveBack = read(port, workerData as PipeReaderData);
    else giveBack?.(message);
  });
  port.postMessage({ ready: true } satisfies PipeReaderMessage);
}
