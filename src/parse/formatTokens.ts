/**
 * Tokenizing an Apache `LogFormat` string into literals and fields (mod_log_config syntax):
 * `%[conditions][<>]{param}letter`, `%%` for a percent sign, and the C escapes `\"`, `\\`,
 * `\t`, `\n` that httpd.conf uses inside the quoted format.
 */
import { LogFormatError } from './errors.js';

/** What a field means to the parser; everything we do not read is `Skip`. */
export const Role = {
  Skip: 0,
  Host: 1,
  Addr: 2,
  Time: 3,
  Request: 4,
  FinalStatus: 5,
  Status: 6,
  Bytes: 7,
  BytesOut: 8,
  Method: 9,
  UrlPath: 10,
  Query: 11,
  /** Time taken to serve the request: `%D` and `%{us}T` (microseconds). */
  DurationMicros: 12,
  /** `%{ms}T` (milliseconds). */
  DurationMillis: 13,
  /** `%T` and `%{s}T` (seconds). */
  DurationSeconds: 14,
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export type FormatToken =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly directive: string; readonly role: Role };

/** Roles of the letters we read; other known letters are skipped. */
const ROLES: Readonly<Record<string, Role>> = {
  h: Role.Host,
  a: Role.Addr,
  t: Role.Time,
  r: Role.Request,
  s: Role.Status,
  b: Role.Bytes,
  B: Role.Bytes,
  O: Role.BytesOut,
  m: Role.Method,
  U: Role.UrlPath,
  q: Role.Query,
  D: Role.DurationMicros,
  T: Role.DurationSeconds,
};
/** `%{UNIT}T`: the unit of the time taken. */
const DURATION_UNITS: Readonly<Record<string, Role>> = {
  '{us}': Role.DurationMicros,
  '{ms}': Role.DurationMillis,
  '{s}': Role.DurationSeconds,
};
/** Every other directive letter of mod_log_config (and mod_logio's %I %O %S). */
const SKIPPED = 'ACefHiklLnopPRuvVXIS';
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', t: '\t', n: '\n' };

/** Splits `format` into literal and field tokens; adjacent literals are merged. */
export function tokenizeLogFormat(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let literal = '';
  let i = 0;
  while (i < format.length) {
    const ch = format.charAt(i);
    if (ch === '\\' && i + 1 < format.length) {
      const next = format.charAt(i + 1);
      literal += ESCAPES[next] ?? ch + next;
      i += 2;
    } else if (ch !== '%') {
      literal += ch;
      i++;
    } else if (format.charAt(i + 1) === '%') {
      literal += '%';
      i += 2;
    } else {
      if (literal !== '') tokens.push({ kind: 'literal', text: literal });
      literal = '';
      const end = directiveEnd(format, i);
      tokens.push(fieldToken(format.slice(i, end), i));
      i = end;
    }
  }
  if (literal !== '') tokens.push({ kind: 'literal', text: literal });
  return tokens;
}

/** Index just after the directive that starts with the `%` at `start`. */
function directiveEnd(format: string, start: number): number {
  let i = start + 1;
  while (i < format.length && '!<>,0123456789'.includes(format.charAt(i))) i++;
  if (format.charAt(i) === '{') {
    const close = format.indexOf('}', i);
    if (close < 0) throw new LogFormatError(`unterminated %{ in log format at column ${start + 1}`);
    i = close + 1;
  }
  if (format.charAt(i) === '^') return Math.min(i + 3, format.length);
  if (i >= format.length) throw new LogFormatError(`log format ends inside a directive at column ${start + 1}`);
  return i + 1;
}

function fieldToken(directive: string, at: number): FormatToken {
  const letter = directive.charAt(directive.length - 1);
  const where = `at column ${at + 1}`;
  if (letter === 't' && directive.includes('{')) {
    throw new LogFormatError(`custom time format ${directive} ${where} is not supported; use %t`);
  }
  const param = /\{[^}]*\}/.exec(directive)?.[0];
  const role = directive.includes('^')
    ? undefined
    : letter === 'T' && param !== undefined
      ? (DURATION_UNITS[param] ?? Role.Skip)
      : ROLES[letter];
  if (role !== undefined) {
    const final = role === Role.Status && directive.includes('>');
    return { kind: 'field', directive, role: final ? Role.FinalStatus : role };
  }
  const known = directive.includes('^') ? /\^t[io]$/.test(directive) : SKIPPED.includes(letter);
  if (known && letter !== '') return { kind: 'field', directive, role: Role.Skip };
  throw new LogFormatError(`unknown log format directive ${directive} ${where}`);
}
