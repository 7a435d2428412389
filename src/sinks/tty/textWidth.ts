import { escapeControl } from '../escapeControl.js';

/**
 * Display width of text on a terminal, good enough for log content, measured per grapheme
 * cluster (what a terminal draws as one character): East Asian wide characters and emoji take
 * two columns (an emoji sequence too: a family joined by zero-width joiners, a flag, a skin
 * tone, a keycap), combining marks and zero-width characters none, control characters none.
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const cluster of clusters(text)) width += clusterWidth(cluster);
  return width;
}

/** The longest prefix of `text` that fits in `max` columns; never splits a grapheme cluster. */
export function sliceToWidth(text: string, max: number): string {
  let width = 0;
  let end = 0;
  for (const cluster of clusters(text)) {
    const w = clusterWidth(cluster);
    if (width + w > max) break;
    width += w;
    end += cluster.length;
  }
  return text.slice(0, end);
}

/** `text` cut to `max` columns, ending in `…` when it was cut. */
export function ellipsize(text: string, max: number): string {
  if (textWidth(text) <= max) return text;
  return max <= 0 ? '' : `${sliceToWidth(text, max - 1)}…`;
}

/** `text` padded with spaces to `width` columns (left-aligned, or right-aligned with `right`). */
export function pad(text: string, width: number, right = false): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return right ? fill + text : text + fill;
}

/**
 * Text from the log made safe for the terminal: control characters and escape sequences as
 * `\xHH` (`escapeControl`), and invisible format characters that could disguise text
 * (bidi overrides, zero-width joiners, line separators, lone surrogates) as `\u{HHHH}`.
 */
export function safeText(text: string): string {
  const escaped = escapeControl(text);
  if (!INVISIBLE_TEST.test(escaped)) return escaped;
  return escaped.replace(INVISIBLE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`);
}

// Single character classes, no quantifiers: linear on any input.
const INVISIBLE_TEST = /[\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const INVISIBLE = /[\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x300) return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  return isWide(cp) || EMOJI_PRESENTATION.test(ch) ? 2 : 1;
}

// Below U+0300 every code point is a cluster of its own for width purposes (no combining
// marks, no emoji; CR LF is one cluster but both are zero wide).
const ONLY_SIMPLE = /^[\u0000-\u02ff]*$/;
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;
// Fully-qualified emoji sequences (ZWJ families, flags, keycaps, skin tones, text-default
// characters with VS16): two columns, like one emoji. `v` flag: Node 20 has it.
// biome-ignore lint/complexity/useRegexLiterals: the v flag needs an es2024 target in a literal
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const SEGMENTER = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

/** The grapheme clusters of `text` (its code points for plain text, or without `Intl.Segmenter`). */
function* clusters(text: string): Generator<string> {
  if (SEGMENTER === undefined || ONLY_SIMPLE.test(text)) {
    yield* text;
    return;
  }
  for (const { segment } of SEGMENTER.segment(text)) yield segment;
}

/** An emoji sequence is 2; else the width of its first character that has one (a base and its marks: the base's). */
function clusterWidth(cluster: string): number {
  const first = cluster.codePointAt(0) ?? 0;
  if (cluster.length === (first > 0xffff ? 2 : 1)) return charWidth(cluster);
  if (RGI_EMOJI.test(cluster)) return 2;
  for (const ch of cluster) {
    const w = charWidth(ch);
    if (w > 0) return w;
  }
  return 0;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
