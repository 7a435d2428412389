/** Line chunks back into lines, one string each: for a consumer that wants strings (`toLines`). */
import { Observable } from 'rxjs';
import type { LineChunk } from './lineChunk.js';

/** Lines (`LineChunk.text`) of the chunks (strings pass as they are), stopping early on unsubscribe. */
export function linesOfChunks(chunks: Observable<string | LineChunk>): Observable<string> {
  return new Observable<string>((subscriber) =>
    chunks.subscribe({
      next: (chunk) => {
        if (typeof chunk === 'string') return subscriber.next(chunk);
        for (let i = 0; i < chunk.count && !subscriber.closed; i++) subscriber.next(chunk.text(i));
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    }),
  );
}
