/**
 * The "section" of a request target: its first path segment, used for the top-sections table.
 *
 * Decisions, by target form (RFC 9112 section 3.2):
 * - origin form: `/api/user?x=1` -> `/api`; `/api/` -> `/api`; `/`, `/?x=1`, `//x` -> `/`.
 * - absolute form: `http://host/api/x` -> `/api`; `https://host` and `https://host?q` -> `/`.
 * - asterisk form (`OPTIONS *`): `*`, kept apart from `/` because it is not a page hit.
 * - anything else (authority form `CONNECT host:443`, `-`, garbage, ''): `-`.
 * Query (`?`) and fragment (`#`) never belong to the section. Case and percent-escapes are
 * kept as logged: `/API` and `/api` are different sections.
 */

const SLASH = 0x2f;

/** First path segment of a request target, e.g. `/api` for `/api/user?x=1`. */
export function sectionOf(target: string): string {
  let slash = 0;
  if (target.charCodeAt(0) !== SLASH) {
    if (target === '*') return '*';
    const authority = afterScheme(target);
    if (authority < 0) return '-';
    slash = authority;
    while (slash < target.length && !endsSegment(target.charCodeAt(slash))) slash++;
    if (target.charCodeAt(slash) !== SLASH) return '/';
  }
  let end = slash + 1;
  while (end < target.length && !endsSegment(target.charCodeAt(end))) end++;
  return end === slash + 1 ? '/' : target.slice(slash, end);
}

/** `/`, `?` or `#`. */
function endsSegment(code: number): boolean {
  return code === SLASH || code === 0x3f || code === 0x23;
}

/** Index just after `scheme://` when `target` starts with one, else -1. */
function afterScheme(target: string): number {
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), RFC 3986 section 3.1
  let i = 0;
  for (; i < target.length; i++) {
    const c = target.charCodeAt(i) | 0x20; // lower-case letters; digits and +-. unaffected
    const letter = c >= 0x61 && c <= 0x7a;
    if (!letter && (i === 0 || !isSchemeExtra(target.charCodeAt(i)))) break;
  }
  return i > 0 && target.startsWith('://', i) ? i + 3 : -1;
}

function isSchemeExtra(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
}
