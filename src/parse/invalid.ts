/** Building {@link InvalidLine} values with a bounded memory footprint. */
import type { InvalidLine, InvalidReason } from '../types.js';
import { detach } from './detach.js';

/** Longest `InvalidLine.line` kept; longer lines are cut (and copied, see `detach`). */
export const MAX_INVALID_LINE = 1024;

/** An invalid-line value for `line[0, end)`, cut to {@link MAX_INVALID_LINE} characters. */
export function invalidLine(line: string, end: number, reason: InvalidReason): InvalidLine {
  const text = end > MAX_INVALID_LINE ? detach(line.slice(0, MAX_INVALID_LINE)) : end < line.length ? line.slice(0, end) : line;
  return { type: 'invalid', line: text, reason };
}
