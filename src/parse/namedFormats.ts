/** The named log formats, Apache's stock ones and `auto` (data only; see `formats.ts`). */

/** Apache's stock formats (httpd.conf), by name. */
export const LOG_FORMATS: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
};

/** The format names, `auto` (the default) first. */
export const FORMAT_NAMES: readonly string[] = ['auto', ...Object.keys(LOG_FORMATS)];

/**
 * The format string behind a name, or `undefined` when `name` is not one.
 *
 * `auto` reads Common lines and everything that starts like one: Combined, nginx's
 * `combined`, and either followed by extra fields. It checks the Common prefix only, so it
 * never reads the referer and user agent (they are not used) and is the fastest choice.
 * `common`, `combined` and `vhost_combined` are strict: the whole line must match.
 */
export function namedFormat(name: string): { format: string; allowTrailing: boolean } | undefined {
  if (name === 'auto') return { format: LOG_FORMATS['common'] ?? '', allowTrailing: true };
  const format = Object.hasOwn(LOG_FORMATS, name) ? LOG_FORMATS[name] : undefined;
  return format === undefined ? undefined : { format, allowTrailing: false };
}
