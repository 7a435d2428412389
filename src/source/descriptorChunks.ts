/**
 * Line chunks of an already open descriptor such as standard input (0), read into reused
 * buffers, so that `cat access.log | apachescan -` costs what reading the file does:
 * - a regular file (`apachescan - < access.log`): read in large chunks from its current
 *   position, as `fileChunks` reads a path;
 * - a pipe or socket: read as it arrives (a live `tail -f | apachescan -` reports at once),
 *   every read into the same buffer (a stream would hand over a freshly allocated buffer
 *   per read, whose first touch costs more than the reading);
 * - anything else (a terminal): the `fallback` stream.
 *
 * `stop`, when it emits, ends the lines as if the input had ended (a partial line is dropped).
 * The descriptor is never closed; when the lines end or are unsubscribed, reading stops and
 * the descriptor no longer keeps the process alive.
 */
import { fstat } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import type { Readable } from 'node:stream';
import { Observable, type Subscriber } from 'rxjs';
import { readChunks } from './chunkReader.js';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';
import { streamChunks } from './streamChunks.js';

/** Bytes per read of a regular file, and the size of the reused buffer for a pipe. */
const CHUNK_SIZE = 1 << 20;

export function descriptorChunks(fd: number, fallback: () => Readable, stop?: Observable<unknown>): Observable<LineChunk> {
  return new Observable<LineChunk>((subscriber) => {
    let stopReading = (): void => undefined;
    let stopped = false;
    const stopping = stop?.subscribe(() => {
      stopped = true;
      stopReading();
      subscriber.complete();
    });
    fstat(fd, (err, stats) => {
      if (stopped || subscriber.closed) return;
      if (err !== null) return subscriber.error(err);
      if (stats.isFile()) stopReading = readFile(fd, subscriber);
      else if (stats.isFIFO() || stats.isSocket()) stopReading = readPipe(fd, subscriber);
      else {
        const subscription = streamChunks(fallback()).subscribe(subscriber);
        stopReading = () => subscription.unsubscribe();
      }
    });
    return () => {
      stopped = true;
      stopping?.unsubscribe();
      stopReading();
    };
  });
}

function readFile(fd: number, subscriber: Subscriber<LineChunk>): () => void {
  const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk));
  return readChunks(fd, { chunkSize: CHUNK_SIZE, start: 0, positioned: false, close: false }, {
    chunk: (bytes) => splitter.push(bytes),
    end: () => {
      splitter.end();
      subscriber.complete();
    },
    error: (err) => subscriber.error(err),
  });
}

/** `onread` (a reused buffer instead of a new one per read): in Node 20's Socket options, not in its types. */
interface OnRead {
  readonly onread: OnReadOpts;
}

function readPipe(fd: number, subscriber: Subscriber<LineChunk>): () => void {
  const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk));
  const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  const options: SocketConstructorOpts & OnRead = {
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
  const socket = new Socket(options);
  socket.once('end', () => {
    splitter.end();
    subscriber.complete();
  });
  socket.once('error', (err) => subscriber.error(err));
  return () => {
    socket.removeAllListeners('end');
    // Paused, the descriptor is no longer read and no longer keeps the process alive.
    socket.pause();
  };
}
