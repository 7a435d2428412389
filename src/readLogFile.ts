import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Observable } from 'rxjs';

/**
 * The lines of a whole file, read in large chunks, completing at end of file. Errors (missing
 * file, directory, permission) arrive as Observable errors carrying the errno `code`.
 */
export function readLogFile(path: string): Observable<string> {
  return new Observable<string>((subscriber) => {
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const inner = readLogStream(stream).subscribe(subscriber);
    return () => {
      inner.unsubscribe();
      stream.destroy();
    };
  });
}

/** The lines of a readable byte stream (e.g. standard input). */
export function readLogStream(stream: Readable): Observable<string> {
  return new Observable<string>((subscriber) => {
    const decoder = new TextDecoder('utf-8');
    let rest = '';
    const onData = (chunk: Buffer): void => {
      const text = rest + decoder.decode(chunk, { stream: true });
      let from = 0;
      let nl = text.indexOf('\n', from);
      while (nl !== -1) {
        subscriber.next(text.slice(from, nl));
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      rest = text.slice(from);
    };
    const onEnd = (): void => {
      const last = rest + decoder.decode();
      if (last !== '') subscriber.next(last);
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
    };
  });
}
