/**
 * Memory bounds for strings cut out of log lines.
 *
 * In V8 a `slice()` of 13 or more characters is a view that keeps its whole parent alive, so a
 * 40-character path kept in a window could pin a 1 MB line. `detach` returns a copy that owns
 * its characters: concatenation makes a rope, and slicing the rope flattens it into a fresh
 * string. Other engines just get an equal string. Used only for long lines, off the hot path.
 */

/** Lines longer than this have the fields we keep copied out of them. */
export const DETACH_OVER = 2048;

/** A copy of `text` that does not share storage with a larger string. */
export function detach(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
