/**
 * The few ANSI sequences the live view needs: SGR colours (only when colour is enabled) and
 * screen control. Written out by hand; no terminal library.
 */

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'redBold' | 'greenBold';

const SGR: Readonly<Record<Style, string>> = {
  bold: '1',
  dim: '2',
  red: '31',
  green: '32',
  yellow: '33',
  cyan: '36',
  redBold: '1;31',
  greenBold: '1;32',
};

/** Wraps `text` in the SGR sequence of `style` and a reset; plain `text` when colour is off. */
export function paint(text: string, style: Style | undefined, color: boolean): string {
  if (!color || style === undefined || text === '') return text;
  return `\x1b[${SGR[style]}m${text}\x1b[0m`;
}

/**
 * Colour is enabled iff the stream is a terminal and `NO_COLOR` is not set to a non-empty
 * value (https://no-color.org).
 */
export function shouldColor(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && !env['NO_COLOR'];
}

export const ENTER_ALT_SCREEN = '\x1b[?1049h';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
export const CLEAR_SCREEN = '\x1b[2J';
export const CLEAR_LINE = '\x1b[2K';
export const CLEAR_TO_END_OF_LINE = '\x1b[K';
export const CLEAR_BELOW = '\x1b[J';

/** Moves the cursor to `row`, column 1 (1-based). */
export function moveTo(row: number): string {
  return `\x1b[${row};1H`;
}

/**
 * One repaint of the whole view, written in place: every row is positioned absolutely and
 * cleared before it is drawn (no newline, so the last row never scrolls the screen), and the
 * rows below the view are cleared. `clear` first wipes the screen (after a resize).
 */
export function frame(lines: readonly string[], height: number, clear: boolean): string {
  let out = clear ? CLEAR_SCREEN : '';
  const shown = Math.min(lines.length, height);
  for (let i = 0; i < shown; i++) out += `${moveTo(i + 1)}${CLEAR_LINE}${lines[i] ?? ''}`;
  if (shown < height) out += `${moveTo(shown + 1)}${CLEAR_BELOW}`;
  return out;
}
