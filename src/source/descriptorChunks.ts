/**
 * Line chunks of an already open descriptor such as standard input (0), read in large chunks
 * into reused memory, so that `cat access.log | apachescan -` costs about what reading the
 * file does:
 * - a regular file (`apachescan - < access.log`): read in large chunks from its current
 *   position, as `fileChunks` reads a path;
 * - a pipe or socket: read by a worker thread into large shared chunks (`pipeChunks.ts`), as
 *   it arrives: a live `tail -f | apachescan -` reports at once;
 * - anything else (a terminal): the `fallback` stream.
 *
 * `stop`, when it emits, ends the lines as if the input had ended (a partial line is dropped).
 * When the lines end or are unsubscribed, reading stops and the descriptor no longer keeps the
 * process alive.
 */
import { fstat } from 'node:fs';
import type { Readable } from 'node:stream';
import { Observable, type Subscriber } from 'rxjs';
import { DEFAULT_CHUNK_SIZE, readChunks } from './chunkReader.js';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';
import { streamChunks } from './streamChunks.js';
import { pipeChunks } from './pipeChunks.js';

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
      else stopReading = forward(stats.isFIFO() || stats.isSocket() ? pipeChunks(fd) : streamChunks(fallback()), subscriber);
    });
    return () => {
      stopped = true;
      stopping?.unsubscribe();
      stopReading();
    };
  });
}

/** Hands `chunks` on to `subscriber`; returns how to stop them (and only them). */
function forward(chunks: Observable<LineChunk>, subscriber: Subscriber<LineChunk>): () => void {
  const subscription = chunks.subscribe({
    next: (chunk) => subscriber.next(chunk),
    error: (err: unknown) => subscriber.error(err),
    complete: () => subscriber.complete(),
  });
  return () => subscription.unsubscribe();
}

/** A regular file, read in sequence from the descriptor's position (left open: it is not ours). */
function readFile(fd: number, subscriber: Subscriber<LineChunk>): () => void {
  const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk));
  let stopped = false;
  const buffers = [Buffer.allocUnsafe(DEFAULT_CHUNK_SIZE), Buffer.allocUnsafe(DEFAULT_CHUNK_SIZE)];
  readChunks(fd, { position: null, buffers, shortReadEnds: false, stopped: () => stopped }, (bytes) => splitter.push(bytes)).then(
    ({ outcome }) => {
      if (outcome !== 'eof') return;
      splitter.end();
      subscriber.complete();
    },
    (err: unknown) => subscriber.error(err),
  );
  return () => {
    stopped = true;
  };
}
