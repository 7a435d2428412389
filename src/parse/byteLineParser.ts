/**
 * A byte-level reader of the named formats (see `byteShape.ts`) that builds no string per line:
 * it walks the steps that `scanLine` (src/parse/scan.ts) takes for their plans, reads time,
 * status and bytes in place, and interns host and section.
 *
 * Contract: when `parse` returns true, `fields` are exactly the time, host, section, status
 * and bytes of the record that the string parser (`resolveFormat`) makes of the decoded line
 * (host and section as ids in `hosts` and `sections`).
 * When it returns false nothing is claimed: the caller asks the string parser (invalid lines,
 * a BOM, a section that is not a plain `/path`, ...).
 *
 * Why bytes give the same answer as characters: every delimiter and every character the
 * parser checks (`" \ [ ] : / ? #`, space, digits, month names) is ASCII; UTF-8 decoding
 * (TextDecoder, bad sequences replaced) maps each ASCII byte to itself and never produces an
 * ASCII character from other bytes. So searches for delimiters, and checks of fixed-length
 * fields that must be ASCII, find the same places; only the strings we keep need decoding.
 */
import { sectionOf } from './section.js';
import { ByteTimeReader } from './byteTime.js';
import { Shape } from './byteShape.js';
import type { InternTable } from './internTable.js';
import { ParsedFields } from './parsedFields.js';

const SP = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;
const DASH = 0x2d;
const SLASH = 0x2f;
const COLON = 0x3a;
const QUESTION = 0x3f;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;

/** RFC 9110 tchar, as src/parse/request.ts (bytes >= 0x80 are not tchars). */
const TCHAR = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch) || "!#$%&'*+-.^_`|~".includes(ch)) TCHAR[c] = 1;
}

/** `HTTP` read as a little-endian 32-bit word. */
const HTTP_WORD = 0x50545448;

/** Section ids that every generation of the section table has. */
export const SECTION_SEEDS: readonly string[] = ['-', '/'];
const SECTION_NONE = 0;
const SECTION_ROOT = 1;

export class ByteLineParser {
  /** The fields of the last line read (host and section as ids in `hosts` and `sections`). */
  readonly fields = new ParsedFields();
  private readonly clock = new ByteTimeReader();
  /** A DataView of the last buffer seen, for word-at-a-time comparisons. */
  private viewed: Buffer | undefined;
  private view: DataView = new DataView(new ArrayBuffer(0));
  /** Whether lines start with `%v:%p `. */
  private readonly vhost: boolean;
  /** Whether fields may follow the last one, after a space. */
  private readonly trailing: boolean;

  /** @param sections a table seeded with {@link SECTION_SEEDS}. */
  constructor(
    private readonly shape: Shape,
    private readonly hosts: InternTable,
    private readonly sections: InternTable,
  ) {
    this.vhost = shape === Shape.VhostCombined || shape === Shape.VhostCombinedTrailing;
    this.trailing =
      shape === Shape.Auto || shape === Shape.CommonTrailing || shape === Shape.CombinedTrailing || shape === Shape.VhostCombinedTrailing;
  }

  /** Reads `b[start, end)`: a line without its terminator and without a trailing CR. */
  parse(b: Buffer, start: number, end: number): boolean {
    let i = start;
    if ((b[i] as number) >= 0x80) return false; // a BOM, which the string parser skips
    let hostEnd = -1; // where %h ends, when already found
    if (this.vhost) {
      while (i < end && b[i] !== COLON) i++; // %v
      i++;
      while (i < end && b[i] !== SP) i++; // %p
      if (i >= end) return false;
      i++;
    } else if (this.shape === Shape.Auto) {
      // `auto` reads `vhost:port client ...` as vhost_combined. The first field is scanned once:
      // up to a space it is the client; a colon first (a vhost, or an IPv6 client) is looked at.
      const k = spaceOrColon(b, this.viewOf(b), i, end);
      if (k < end && b[k] === COLON) i = afterVhostPrefix(b, i, end);
      else hostEnd = k;
    }
    const view = this.viewOf(b);
    const hostStart = i;
    if (hostEnd < 0)
      while (i < end && b[i] !== SP) i++; // %h
    else i = hostEnd;
    if (i >= end || i === hostStart) return false; // an empty client is the string parser's no_match
    hostEnd = i;
    i++;
    while (i < end && b[i] !== SP) i++; // %l
    i++;
    while (i + 1 < end && !(b[i] === SP && b[i + 1] === LBRACKET)) i++; // %u, up to ' ['
    const t = i + 1; // '['
    if (t + 30 > end || b[t + 27] !== RBRACKET || b[t + 28] !== SP || b[t + 29] !== QUOTE) return false;
    const clock = this.clock;
    if (!clock.read(b, view, t + 1)) return false;
    const requestStart = t + 30;
    const requestEnd = closingQuote(b, requestStart, end);
    if (requestEnd < 0) return false;
    // '" ' then exactly three digits and a space.
    i = requestEnd + 2;
    if (i + 4 > end || b[requestEnd + 1] !== SP || b[i + 3] !== SP) return false;
    const s1 = (b[i] as number) - 0x30;
    const s2 = (b[i + 1] as number) - 0x30;
    const s3 = (b[i + 2] as number) - 0x30;
    if (!(s1 >= 1 && s1 <= 9 && s2 >= 0 && s2 <= 9 && s3 >= 0 && s3 <= 9)) return false;
    i += 4;
    const bytesEnd = this.bytesEnd(b, i, end);
    if (bytesEnd < 0) return false;
    const bytes = bytesValue(b, i, bytesEnd);
    if (Number.isNaN(bytes)) return false;
    const fields = this.fields;
    fields.sectionId = this.sectionOfRequest(b, view, requestStart, requestEnd);
    fields.hostId = this.hosts.intern(b, view, hostStart, hostEnd);
    fields.time = clock.time;
    fields.status = s1 * 100 + s2 * 10 + s3;
    fields.bytes = bytes;
    return true;
  }

  /** A DataView over `b`'s bytes (made once per buffer). */
  private viewOf(b: Buffer): DataView {
    if (b !== this.viewed) {
      this.viewed = b;
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.view;
  }

  /** End of the bytes field starting at `i`, after checking the rest of the line; -1 when it does not match. */
  private bytesEnd(b: Buffer, i: number, end: number): number {
    switch (this.shape) {
      case Shape.Auto:
      case Shape.CommonTrailing: {
        // Up to a space or the end; what follows a space is allowed.
        while (i < end && b[i] !== SP) i++;
        return i;
      }
      case Shape.Common:
        return end;
      default: {
        // `%b "%{Referer}i" "%{User-agent}i"`, then the end (or, trailing, a space and anything).
        while (i + 1 < end && !(b[i] === SP && b[i + 1] === QUOTE)) i++;
        if (i + 1 >= end) return -1;
        const referer = closingQuote(b, i + 2, end);
        if (referer < 0 || referer + 3 > end || b[referer + 1] !== SP || b[referer + 2] !== QUOTE) return -1;
        const agent = closingQuote(b, referer + 3, end);
        if (agent < 0) return -1;
        return agent + 1 === end || (this.trailing && b[agent + 1] === SP) ? i : -1;
      }
    }
  }

  /** The section id of the request `b[start, end)`, as `splitRequest` and `sectionOf` give it. */
  private sectionOfRequest(b: Buffer, view: DataView, start: number, end: number): number {
    return requestSectionId(b, view, start, end, this.sections);
  }
}

/** The section id (in `sections`, seeded with SECTION_SEEDS) of the request `b[start, end)`, as `splitRequest` and `sectionOf` give it. */
export function requestSectionId(b: Buffer, view: DataView, start: number, end: number, sections: InternTable): number {
  let m = start;
  while (m < end && TCHAR[b[m] as number] === 1) m++;
  if (m === start || m >= end - 1 || b[m] !== SP) return SECTION_NONE;
  const targetStart = m + 1;
  if (b[targetStart] === SP) return SECTION_NONE;
  let targetEnd = end - 9;
  if (
    // Most requests end with ` HTTP/` and three bytes that are not spaces (`1.1`): the last space is found.
    targetEnd > targetStart &&
    b[targetEnd] === SP &&
    view.getInt32(end - 8, true) === HTTP_WORD &&
    b[end - 4] === SLASH &&
    b[end - 3] !== SP &&
    b[end - 2] !== SP &&
    b[end - 1] !== SP
  ) {
    // The protocol is `HTTP/...`.
  } else {
    targetEnd = end - 1; // the last space, before the protocol
    while (targetEnd > targetStart && b[targetEnd] !== SP) targetEnd--;
  }
  if (targetEnd === targetStart) {
    // No protocol: HTTP/0.9, `GET` only.
    if (m - start !== 3 || b[start] !== 0x47 || b[start + 1] !== 0x45 || b[start + 2] !== 0x54) return SECTION_NONE;
    targetEnd = end;
  } else if (
    end - targetEnd <= 6 ||
    b[targetEnd + 1] !== 0x48 ||
    b[targetEnd + 2] !== 0x54 ||
    b[targetEnd + 3] !== 0x54 ||
    b[targetEnd + 4] !== 0x50 ||
    b[targetEnd + 5] !== SLASH
  ) {
    return SECTION_NONE; // the protocol is not `HTTP/...`
  }
  if (b[targetStart] !== SLASH) return sections.idOf(sectionOf(b.toString('utf8', targetStart, targetEnd)));
  const k = segmentEnd(b, view, targetStart + 1, targetEnd);
  return k === targetStart + 1 ? SECTION_ROOT : sections.intern(b, view, targetStart, k);
}

/**
 * Index of the first space or colon in `b[i, end)`, else `end`: four bytes at a time (a byte
 * equal to one of them is a zero byte of the word xor that byte repeated; the lowest byte
 * flagged by the usual zero-byte test is a true one).
 */
export function spaceOrColon(b: Buffer, view: DataView, i: number, end: number): number {
  let k = i;
  for (; k + 4 <= end; k += 4) {
    const word = view.getInt32(k, true);
    const space = word ^ 0x20202020;
    const colon = word ^ 0x3a3a3a3a;
    const found = ((((space - 0x01010101) | 0) & ~space) | (((colon - 0x01010101) | 0) & ~colon)) & 0x80808080;
    if (found !== 0) return k + ((31 - Math.clz32(found & -found)) >> 3);
  }
  while (k < end && b[k] !== SP && b[k] !== COLON) k++;
  return k;
}

/** Index of the first `/`, `?` or `#` in `b[i, end)`, else `end`: four bytes at a time, as {@link spaceOrColon}. */
export function segmentEnd(b: Buffer, view: DataView, i: number, end: number): number {
  let k = i;
  for (; k + 4 <= end; k += 4) {
    const word = view.getInt32(k, true);
    const slash = word ^ 0x2f2f2f2f;
    const question = word ^ 0x3f3f3f3f;
    const hash = word ^ 0x23232323;
    const found =
      ((((slash - 0x01010101) | 0) & ~slash) | (((question - 0x01010101) | 0) & ~question) | (((hash - 0x01010101) | 0) & ~hash)) &
      0x80808080;
    if (found !== 0) return k + ((31 - Math.clz32(found & -found)) >> 3);
  }
  for (; k < end; k++) {
    const c = b[k] as number;
    if (c === SLASH || c === QUESTION || c === HASH) break;
  }
  return k;
}

/**
 * Just after `name:port ` at `i` (`isVhostPrefixed` of src/parse/namedFormats.ts: a name
 * without colon or space, a colon, 1 to 5 digits, a space); `i` itself when the line does
 * not start so.
 */
function afterVhostPrefix(b: Buffer, i: number, end: number): number {
  let colon = i;
  while (colon < end && b[colon] !== COLON && b[colon] !== SP) colon++;
  if (colon === i || b[colon] !== COLON) return i;
  let k = colon + 1;
  while (k < end && k - colon <= 6 && (b[k] as number) >= 0x30 && (b[k] as number) <= 0x39) k++;
  const digits = k - colon - 1;
  return digits >= 1 && digits <= 5 && k < end && b[k] === SP ? k + 1 : i;
}

/**
 * Index of the first `"` at or after `pos` not escaped by an odd run of backslashes (counted
 * no further back than `pos`), or -1: `closingQuote` of src/parse/scan.ts.
 */
export function closingQuote(b: Buffer, pos: number, end: number): number {
  let q = pos;
  for (;;) {
    q = quoteAt(b, q, end);
    if (q < 0) return -1;
    let k = q - 1;
    while (k >= pos && b[k] === BACKSLASH) k--;
    if (((q - 1 - k) & 1) === 0) return q;
    q++;
  }
}

/**
 * Index of the first `"` in `b[from, end)`, or -1: Buffer's native search (memchr), which
 * beats a JavaScript loop on the user agents and referers of Combined lines.
 *
 * The search is not bounded by `end`: without a quote in the line it runs on to the next `"`
 * of the buffer. That costs no more than one pass over the buffer in all: every caller looks
 * for a closing quote just after an opening one that it checked (named formats) or that the
 * scan plan requires (a quoted field's lead ends with `"`), so a search that runs past its
 * line stops at the first quote of the next line that has any, and no search starts in a line
 * without quotes: the stretches searched do not overlap.
 */
function quoteAt(b: Buffer, from: number, end: number): number {
  const q = b.indexOf(QUOTE, from);
  return q >= 0 && q < end ? q : -1;
}

/** `bytesAt` of src/parse/fields.ts: `-` is 0, else 1 to 15 digits; NaN otherwise. */
export function bytesValue(b: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length === 1 && b[start] === DASH) return 0;
  if (length <= 0 || length > 15) return NaN;
  let value = 0;
  for (let k = start; k < end; k++) {
    const d = (b[k] as number) - 0x30;
    if (!(d >= 0 && d <= 9)) return NaN;
    value = value * 10 + d;
  }
  return value;
}
