/** Named formats and `resolveFormat`: a line parser from a name or an Apache `LogFormat`. */
import { LogFormatError } from './errors.js';
import { compileLogFormat, type LineParser } from './logFormat.js';
import { FORMAT_NAMES, namedFormat } from './namedFormats.js';
import { Role, tokenizeLogFormat } from './formatTokens.js';

export { FORMAT_NAMES, LOG_FORMATS } from './namedFormats.js';

/**
 * A parser for a named format (`auto`, `common`, `combined`, `vhost_combined`) or an
 * Apache `LogFormat` string. Like {@link compileLogFormat}, with a clearer error for a
 * misspelt name.
 * @param nameOrFormat a name from `FORMAT_NAMES` or a string containing `%` directives.
 * @throws LogFormatError for an unknown name or a format `compileLogFormat` rejects.
 */
export function resolveFormat(nameOrFormat: string): LineParser {
  const known = compiled.get(nameOrFormat);
  if (known !== undefined) return known;
  if (!nameOrFormat.includes('%') && !FORMAT_NAMES.includes(nameOrFormat)) {
    throw new LogFormatError(`unknown log format "${nameOrFormat}": use ${FORMAT_NAMES.join(', ')} or a LogFormat string`);
  }
  const parser = compileLogFormat(nameOrFormat);
  // A parser is a pure function of its format (its scratch arrays are used within one call):
  // compiled once per format, however many files, stages and runs use it.
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(nameOrFormat, parser);
  return parser;
}

/** Formats kept compiled, at most. */
const MAX_COMPILED = 32;
const compiled = new Map<string, LineParser>();

/** Whether lines of this format (a name or a LogFormat string) carry a duration (`%D`, `%T`). */
export function formatHasDuration(nameOrFormat: string): boolean {
  if (nameOrFormat === 'auto') return false;
  const format = namedFormat(nameOrFormat)?.format ?? nameOrFormat;
  return tokenizeLogFormat(format).some(
    (t) => t.kind === 'field' && (t.role === Role.DurationMicros || t.role === Role.DurationMillis || t.role === Role.DurationSeconds),
  );
}
