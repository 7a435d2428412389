/**
 * How overlong lines travel as strings (`LineChunk.text`, `tailFile`, `tailLines`).
 *
 * Line chunks flag an overlong line (`LineChunk.overlong`); a string has no room for a flag,
 * so there an overlong line becomes the fixed marker `OVERLONG_LINE`: it starts with NUL and
 * holds no `[` or `"`, so it fails any access-log format and is counted invalid;
 * `isOverlongLine` tells it apart.
 */

/** What a line longer than `maxLineBytes` arrives as (it parses as invalid, reason `overlong`). */
export const OVERLONG_LINE = '\u0000overlong line (cut at maxLineBytes)';

/** Whether `line` stands for an overlong line. */
export function isOverlongLine(line: string): boolean {
  return line === OVERLONG_LINE;
}
