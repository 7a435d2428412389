/**
 * What the command line itself says, without the environment, the config file or defaults:
 * yargs merges all of them into one argv, which cannot tell `apachescan other.log` from a
 * config file's `"file"`. Parsed with the same option definitions as the real parse.
 */
import type { Argv } from 'yargs';
import { Parser } from 'yargs/helpers';

/** The options as yargs keeps them (`getOptions()` is public in yargs 18, missing from @types/yargs 17). */
export interface OptionTable {
  readonly key: Record<string, unknown>;
  readonly alias: Record<string, string[]>;
  readonly array: string[];
  readonly boolean: string[];
  readonly string: string[];
  readonly number: string[];
  readonly narg: Record<string, number>;
  readonly choices: Record<string, unknown[]>;
  readonly hiddenOptions: string[];
  readonly configuration: Record<string, unknown>;
}

export function optionTable(y: Argv<unknown>): OptionTable {
  return (y as unknown as { getOptions(): OptionTable }).getOptions();
}

/** The arguments the command line gives (keys and aliases as yargs-parser sets them, positionals in `_`). */
export function parseCommandLine(
  y: Argv<unknown>,
  args: readonly string[],
  arrays: readonly string[] = [],
): Record<string, unknown> & { _: string[] } {
  const o = optionTable(y);
  const parsed = Parser([...args], {
    alias: o.alias,
    array: [...o.array, ...arrays],
    boolean: o.boolean,
    string: o.string,
    narg: o.narg,
    configuration: { ...o.configuration, 'parse-positional-numbers': false, 'parse-numbers': false },
  } as Parameters<typeof Parser>[1]);
  return { ...parsed, _: parsed._.map(String) };
}

/** True when the command line names `key` (or one of its aliases, or `--no-key`). */
export function givenOnCommandLine(parsed: Record<string, unknown>, key: string, o: OptionTable): boolean {
  return [key, ...(o.alias[key] ?? [])].some((name) => parsed[name] !== undefined);
}
