import type { Observable, OperatorFunction } from 'rxjs';
import { linesOfChunks } from '../src/source/chunkLines.js';
import type { LineChunk } from '../src/source/lineChunk.js';

/**
 * Line chunks (what `readLogFile`, `readLogStream` and the other sources give) into lines,
 * one string each, without the newline and one trailing `\r`; a line longer than 64 KiB as
 * the overlong marker. Strings pass as they are. For consumers that want strings; the engine's
 * operators take the chunks themselves, faster.
 *
 * ```
 * source:  --[a b c]----[d]--|      a chunk of three lines, then one of one
 * output:  --(a b c)----d----|
 * ```
 *
 * @example
 * ```ts
 * import { readLogFile } from 'apachescan';
 * import { toLines } from 'apachescan/operators';
 * readLogFile('access.log').pipe(toLines()).subscribe((line) => console.log(line));
 * ```
 * @returns An operator from line chunks (or strings) to lines.
 */
export function toLines(): OperatorFunction<string | LineChunk, string> {
  return (source: Observable<string | LineChunk>) => linesOfChunks(source);
}
