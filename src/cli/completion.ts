/**
 * What the shell completion offers (the script of `apachescan completion` asks
 * `apachescan --get-yargs-completions apachescan WORD...`): long options after `-`, the choices
 * of the option before, and nothing for a file or a free value, so that the shell falls back
 * to file names (`complete -o default`).
 */
import type { OptionTable } from './commandLine.js';

/** The names `--format` takes besides an Apache LogFormat string. */
export const FORMAT_NAMES = ['auto', 'common', 'combined', 'vhost_combined'] as const;

/** Written on the command line but not in the option table as such: `--no-checkpoint`, and `--file` (the positional by name). */
const EXTRA = ['--no-checkpoint', '--file'];

/**
 * @param words the words after the program name, the last one being completed (`''` after a space)
 * @param options the yargs option table (`getOptions()`)
 * @returns the offers that start with the word being completed
 */
export function completeWords(words: readonly string[], options: OptionTable): string[] {
  const current = words.at(-1) ?? '';
  const previous = words.length > 1 ? (words.at(-2) ?? '') : '';
  const key = previous.startsWith('-') && !previous.includes('=') ? keyOf(previous.replace(/^--?/, ''), options) : undefined;
  const matching = (words: readonly string[]): string[] => words.filter((word) => word.startsWith(current));
  if (key !== undefined && !options.boolean.includes(key))
    return matching(key === 'format' ? FORMAT_NAMES : (options.choices[key] ?? []).map(String));
  if (current.startsWith('-')) return matching(longOptions(options));
  return [];
}

/** Every long option (and long alias), `--no-checkpoint` included; never a one-letter alias as `--x`. */
export function longOptions(options: OptionTable): string[] {
  const names = new Set<string>();
  for (const key of Object.keys(options.key)) {
    if (options.hiddenOptions.includes(key)) continue;
    for (const name of [key, ...(options.alias[key] ?? [])]) if (name.length > 1 && !name.startsWith('_')) names.add(`--${name}`);
  }
  for (const name of EXTRA) names.add(name);
  return [...names].sort();
}

function keyOf(name: string, options: OptionTable): string | undefined {
  if (Object.hasOwn(options.key, name)) return name;
  return Object.keys(options.alias).find((key) => (options.alias[key] ?? []).includes(name));
}
