/**
 * Makes text from a log (or a file name) safe to print on a terminal: C0/C1 control
 * characters (ESC, BEL, CR, backspace, ...) and DEL are shown as `\xHH` escapes, and
 * invisible format characters as `\u{HHHH}`: bidirectional controls (U+202A-U+202E,
 * U+2066-U+2069, ...), zero-width characters, line and paragraph separators and lone
 * surrogates. So log content can never move the cursor, change colours, set the window
 * title or reorder what is shown (a right-to-left override makes `gpj.exe` read as
 * `exe.jpg`). A backslash is left as it is.
 */
export function escapeControl(text: string): string {
  // Fast path: most section names are plain printable ASCII.
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(UNSAFE, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

// Single character classes, no quantifiers: linear on any input.
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
