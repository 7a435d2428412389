/**
 * A line source: lines as plain strings, with batches of byte ranges as its batch view
 * (src/core/batches.ts). Both views come from the same chunks, so they hold the same lines.
 */
import { Observable } from 'rxjs';
import { withBatches, type Batched } from '../core/batches.js';
import type { LineChunk } from './lineChunk.js';

/** Lines (`LineChunk.text`) of the chunks, one value per line, stopping early on unsubscribe. */
export function linesOfChunks(chunks: Observable<LineChunk>): Observable<string> {
  return new Observable<string>((subscriber) =>
    chunks.subscribe({
      next: (chunk) => {
        for (let i = 0; i < chunk.count && !subscriber.closed; i++) subscriber.next(chunk.text(i));
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    }),
  );
}

/** The lines of `chunks`, offering the chunks themselves as the batch view. */
export function lineSource(chunks: Observable<LineChunk>): Batched<string, LineChunk> {
  return withBatches(linesOfChunks(chunks), chunks);
}
