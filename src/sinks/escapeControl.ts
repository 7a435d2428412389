/**
 * Makes text from a log safe to print on a terminal: C0/C1 control characters (ESC, BEL,
 * CR, backspace, ...) and DEL are shown as `\xHH` escapes, so log content can never move the
 * cursor, change colours or set the window title. A backslash is left as it is.
 */
export function escapeControl(text: string): string {
  // Fast path: most section names are plain printable ASCII.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(CONTROL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// Single character classes, no quantifiers: linear on any input.
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
