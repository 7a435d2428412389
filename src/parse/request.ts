/**
 * Splitting `%r` (`METHOD SP TARGET [SP PROTOCOL]`) without building strings we do not keep.
 *
 * Decisions: the request line is what the client sent, so a valid log line may carry a
 * request that is not HTTP at all: `-` (Apache's 408 timeouts), `\x16\x03\x01` (TLS spoken to
 * a plain port, logged with 400), or a truncated line. Those lines stay valid records with
 * method `''`, path `-` and section `-`. A request parses when it is `METHOD SP TARGET SP
 * PROTOCOL`: a non-empty token (RFC 9110 tchar), one space, a non-empty target running to the
 * last space (so `GET /a b HTTP/1.1` has target `/a b`), and a protocol that starts with
 * `HTTP/` (RFC 9112's HTTP-version, `HTTP/2` and `HTTP/3` included). The one request without
 * a protocol is HTTP/0.9's, which only had `GET`: `GET /old`. Anything else (an SSH banner,
 * `SSH-2.0-Scanner_1.6 http://x/research`, or `FOO /x BAR`) is not a request line: section `-`.
 * Targets are kept as logged, Apache's `\"` and `\xhh` escapes included.
 */

/** What a protocol starts with (then at least one character). */
export const HTTP_SLASH = 'HTTP/';

/** Interned names of the common methods, so records share them instead of slicing. */
const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];

/** Where the parts of a request line are; filled by {@link splitRequest}. */
export interface RequestSplit {
  methodEnd: number;
  targetStart: number;
  targetEnd: number;
}

/**
 * Finds method and target in `line[start, end)`.
 * @returns false when the request line does not parse (see the module comment).
 */
export function splitRequest(line: string, start: number, end: number, out: RequestSplit): boolean {
  let i = start;
  while (i < end && isTchar(line.charCodeAt(i))) i++;
  if (i === start || i >= end - 1 || line.charCodeAt(i) !== 0x20) return false;
  const targetStart = i + 1;
  if (line.charCodeAt(targetStart) === 0x20) return false;
  let targetEnd = end - 1; // the last space: a backward loop over the short protocol
  while (targetEnd > targetStart && line.charCodeAt(targetEnd) !== 0x20) targetEnd--;
  if (targetEnd === targetStart) {
    // No protocol: HTTP/0.9, `GET` only.
    if (i - start !== 3 || !sameChars(line, start, 'GET')) return false;
    targetEnd = end;
  } else if (end - targetEnd <= HTTP_SLASH.length + 1 || !sameChars(line, targetEnd + 1, HTTP_SLASH)) {
    return false;
  }
  out.methodEnd = i;
  out.targetStart = targetStart;
  out.targetEnd = targetEnd;
  return true;
}

/** `line[start, end)` as a method name, shared for the common methods. */
export function methodAt(line: string, start: number, end: number): string {
  const length = end - start;
  for (let m = 0; m < METHODS.length; m++) {
    const method = METHODS[m] as string;
    if (method.length === length && sameChars(line, start, method)) return method;
  }
  return line.slice(start, end);
}

function sameChars(line: string, start: number, text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    if (line.charCodeAt(start + k) !== text.charCodeAt(k)) return false;
  }
  return true;
}

/** RFC 9110 tchar: ALPHA / DIGIT / one of ``!#$%&'*+-.^_`|~``, as a lookup table. */
const TCHAR = new Uint8Array(128);
for (let c = 0x21; c < 0x7f; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch) || "!#$%&'*+-.^_`|~".includes(ch)) TCHAR[c] = 1;
}

function isTchar(code: number): boolean {
  return code < 128 && TCHAR[code] === 1;
}
