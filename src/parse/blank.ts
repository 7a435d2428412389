/** Which lines carry no log entry at all (they are skipped, not counted as invalid). */

/**
 * True when `line` is empty or only ASCII whitespace (space, tab, CR, LF, VT, FF).
 * Stops at the first other character, so real lines cost one comparison.
 */
export function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}
