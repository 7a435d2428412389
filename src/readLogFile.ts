import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';
import { flushSplitter, initialSplitter, splitChunk } from './source/lineSplitter.js';
import { linesWithMarkers } from './source/overlong.js';
import { readLines, type ReadLinesOptions } from './source/readLines.js';

/**
 * The lines of a whole file, read in large chunks, completing at end of file. A line longer
 * than 64 KiB arrives cut, as a marker that parses as invalid. Errors (missing file,
 * directory, permission) arrive as Observable errors: `FileError` with the errno `code`.
 */
export function readLogFile(path: string, options: ReadLinesOptions = {}): Observable<string> {
  return readLines(path, options);
}

/** The lines of a readable byte stream (e.g. standard input), split the same way as files. */
export function readLogStream(stream: Readable): Observable<string> {
  return new Observable<string>((subscriber) => {
    let state = initialSplitter();
    const onData = (chunk: Buffer): void => {
      const step = splitChunk(state, chunk);
      state = step.state;
      for (const line of linesWithMarkers(step.batch)) subscriber.next(line);
    };
    const onEnd = (): void => {
      for (const line of linesWithMarkers(flushSplitter(state).batch)) subscriber.next(line);
      subscriber.complete();
    };
    const onError = (err: Error): void => subscriber.error(err);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    return () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      // 'data' made it flow; paused again, an open pipe (stdin) no longer keeps the process alive.
      stream.pause();
    };
  });
}
