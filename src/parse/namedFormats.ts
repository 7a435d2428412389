/** The named log formats, Apache's stock ones and `auto` (data only; see `formats.ts`). */

/** Apache's stock formats (httpd.conf), by name. */
export const LOG_FORMATS: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
};

/** The format names, `auto` (the default) first. */
export const FORMAT_NAMES: readonly string[] = ['auto', ...Object.keys(LOG_FORMATS)];

/** What `auto` reads on a line that starts with `vhost:port ` (see {@link isVhostPrefixed}). */
export const AUTO_VHOST_FORMAT = '%v:%p %h %l %u %t "%r" %>s %O';

/**
 * The format string behind a name, or `undefined` when `name` is not one.
 *
 * `auto` reads Common lines and everything that starts like one: Combined, nginx's
 * `combined`, and either followed by extra fields. It checks the Common prefix only, so it
 * never reads the referer and user agent (they are not used) and is the fastest choice.
 * A line whose first field is `name:port` is a vhost_combined line (Debian's
 * `other_vhosts_access.log`): `auto` reads it with {@link AUTO_VHOST_FORMAT}, so the client is
 * the second field, never the vhost.
 * `common`, `combined` and `vhost_combined` read their fields and, as `auto`, accept fields
 * after them (after a space): nginx's `$request_time`, the `"$http_x_forwarded_for"` of its
 * default `main` format. Their LogFormat strings given in full are strict: the whole line
 * must match.
 */
export function namedFormat(name: string): { format: string; allowTrailing: boolean } | undefined {
  if (name === 'auto') return { format: LOG_FORMATS['common'] ?? '', allowTrailing: true };
  const format = Object.hasOwn(LOG_FORMATS, name) ? LOG_FORMATS[name] : undefined;
  return format === undefined ? undefined : { format, allowTrailing: true };
}

/**
 * Whether `line` starts with `%v:%p ` as vhost_combined writes it: up to the first space, a
 * non-empty name without a colon, a colon and 1 to 5 digits. A Common line never starts so:
 * `%h` is an address or a host name, never with a port, and an IPv6 address has at least two
 * colons (`2001:db8::1`, `::1`), so what follows its first colon is never all digits.
 */
export function isVhostPrefixed(line: string): boolean {
  let colon = 0;
  for (; colon < line.length; colon++) {
    const c = line.charCodeAt(colon);
    if (c === 0x3a || c === 0x20) break;
  }
  if (colon === 0 || line.charCodeAt(colon) !== 0x3a) return false;
  let end = colon + 1;
  while (end < line.length && end - colon <= 6 && isDigit(line.charCodeAt(end))) end++;
  const digits = end - colon - 1;
  return digits >= 1 && digits <= 5 && line.charCodeAt(end) === 0x20;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
