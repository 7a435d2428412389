import { paint, type Style } from './ansi.js';
import { sliceToWidth, textWidth } from './textWidth.js';

/** A piece of a screen line with one style. Text must already be safe (see `safeText`). */
export interface Span {
  readonly text: string;
  readonly style?: Style;
}

/** One screen line as styled pieces: cut to the width first, coloured last. */
export type Line = readonly Span[];

export function span(text: string, style?: Style): Span {
  return style === undefined ? { text } : { text, style };
}

/** The line as plain text (no colour, no cut). */
export function plainLine(line: Line): string {
  return line.map((s) => s.text).join('');
}

/**
 * The line cut to `width` columns (ending in `…` when cut), then painted. Escape sequences are
 * added after cutting, so they never count towards the width and are never cut in half.
 */
export function fitLine(line: Line, width: number, color: boolean): string {
  if (width <= 0) return '';
  const total = line.reduce((sum, s) => sum + textWidth(s.text), 0);
  if (total <= width) return line.map((s) => paint(s.text, s.style, color)).join('');
  let budget = width - 1;
  let out = '';
  for (const s of line) {
    const piece = sliceToWidth(s.text, budget);
    out += paint(piece, s.style, color);
    budget -= textWidth(piece);
    if (piece.length < s.text.length) break;
  }
  return `${out}…`;
}
