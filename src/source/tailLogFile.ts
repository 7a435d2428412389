import { map, type Observable } from 'rxjs';
import type { LineChunk } from './lineChunk.js';
import { tailBytes, type TailLogFileOptions } from './tailFile.js';

export type { TailLogFileOptions };

/**
 * The lines of a file as it grows, like `tail -F`, as line chunks (`LineChunk`: byte ranges of
 * the read buffer, no string per line), as `readLogFile` gives them: `parseAccessLog` and
 * `monitor` take them as they are, `toLines()` turns them into strings. Nothing is lost or
 * repeated across rotation (rename + create, copytruncate, truncation, delete + recreate).
 * Never completes and never errors: a missing file is waited for, fs trouble goes to
 * `onWarning` and is retried; unsubscribe to stop. A chunk is lent: valid during the `next`
 * call that delivers it. `followLog` is the same follower with the engine, idle advance and
 * checkpoints.
 *
 * @example
 * ```ts
 * import { monitor, tailLogFile } from 'apachescan';
 * import { toLines } from 'apachescan/operators';
 *
 * tailLogFile('/var/log/apache2/access.log', { fromEnd: true, onWarning: console.error }).pipe(toLines()).subscribe(console.log);
 * monitor(tailLogFile('/var/log/apache2/access.log'), { idleTimeout: 10_000 }).subscribe(handle);
 * ```
 *
 * @param path The file to follow (its directory is watched).
 * @param options Where to start, timing, limits, the scheduler and a warning callback.
 */
export function tailLogFile(path: string, options: TailLogFileOptions = {}): Observable<LineChunk> {
  return tailBytes(path, options).pipe(map((chunk) => chunk.view));
}
