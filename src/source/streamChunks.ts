/**
 * Line chunks of a readable byte stream, split as `ChunkSplitter` splits them, in the
 * stream's own chunks. `stop`, when it emits, ends the lines as if the stream had ended.
 */
import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import { ChunkSplitter, type LineChunk } from './lineChunk.js';

export function streamChunks(stream: Readable, stop?: Observable<unknown>): Observable<LineChunk> {
  return new Observable<LineChunk>((subscriber) => {
    const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk));
    const onData = (chunk: Buffer): void => splitter.push(chunk);
    const onEnd = (): void => {
      splitter.end();
      subscriber.complete();
    };
    const onError = (err: Error): void => subscriber.error(err);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    // Stopped (Ctrl-C): the lines end here; a partial line is dropped, as `takeUntil` would.
    const stopping = stop?.subscribe(() => subscriber.complete());
    return () => {
      stopping?.unsubscribe();
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      // 'data' made it flow; paused again, an open pipe (stdin) no longer keeps the process alive.
      stream.pause();
    };
  });
}
