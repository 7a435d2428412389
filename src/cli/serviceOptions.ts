import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { UsageError } from './usageError.js';
import { givenOnCommandLine, optionTable, type OptionTable } from './commandLine.js';

/** Environment variables `APACHESCAN_<OPTION>` set options (`APACHESCAN_ALERT_WINDOW=60`). */
export const ENV_PREFIX = 'APACHESCAN';
const HIDDEN_COMPLETION = '__completion';

/**
 * Options from a JSON file (`--config FILE`, or `APACHESCAN_CONFIG`) and from the environment.
 * Precedence: command line, then environment, then the file, then defaults. A config file
 * that is unreadable, not a JSON object, or names an unknown option is a one-line UsageError.
 * Environment variables with the prefix that name no option are ignored with a warning
 * (other tools may use the prefix too). A yes/no option takes 1/0, true/false, yes/no or on/off
 * from the environment (yargs would read anything but `true` as false); anything else is a
 * UsageError. `commandLine` is what the command line alone says (see commandLine.ts); `complete`
 * answers the completion script.
 */
export function addServiceOptions<T>(
  y: Argv<T>,
  warn: (message: string) => void,
  commandLine: () => Record<string, unknown>,
  complete: () => string[],
) {
  const known = (): Set<string> => knownNames(y);
  return (
    y
      .config('config', 'read options from a JSON file: {"threshold": 20, "alertmanager": ["http://127.0.0.1:9093"]}', (path) =>
        readConfigFile(path, known(), booleanNames(optionTable(y))),
      )
      .requiresArg('config')
      .env(ENV_PREFIX)
      .middleware((argv) => {
        dropUnknownEnvironment(argv as Record<string, unknown>, known(), process.env, warn);
        booleansFromEnvironment(argv as Record<string, unknown>, optionTable(y), process.env, commandLine);
      }, true)
      // yargs' own completion command would also run the default command (`$0 [file]`): a command
      // of ours prints the script; yargs keeps answering the script's --get-yargs-completions,
      // with what `complete` offers (see completion.ts).
      .completion(HIDDEN_COMPLETION, false, () => complete())
      .command('completion', 'print a bash/zsh completion script: apachescan completion >> ~/.bashrc', {}, () => {
        (y as unknown as { showCompletionScript($0: string, cmd: string): void }).showCompletionScript('apachescan', 'completion');
      })
      .group(['config'], 'Service:')
  );
}

function readConfigFile(path: string, known: ReadonlySet<string>, booleans: ReadonlySet<string>): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (err as Error).message;
    throw new UsageError(`cannot read config file ${path}: ${why}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`config file ${path} must hold a JSON object of options`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key) || key === 'config') throw new UsageError(`config file ${path}: unknown option "${printable(key)}"`);
    const scalar = (v: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof v);
    // Alert rules: strings (--rule's syntax) or objects, checked with the other rules (ruleOptions.ts).
    if (key === 'rules' && Array.isArray(value)) continue;
    if (!scalar(value) && !(Array.isArray(value) && value.every(scalar))) {
      throw new UsageError(`config file ${path}: "${key}" must be a string, number, boolean or a list of them`);
    }
    // A yes/no option: true/false, or the environment's spellings ("yes"); yargs would read any other string as false.
    if (booleans.has(key) && typeof value !== 'boolean') {
      const yesNo = typeof value === 'string' ? parseBoolean(value) : undefined;
      if (yesNo === undefined)
        throw new UsageError(`config file ${path}: "${key}" must be true or false, got ${printable(JSON.stringify(value))}`);
      (parsed as Record<string, unknown>)[key] = yesNo;
    }
  }
  return parsed as Record<string, unknown>;
}

/** Before validation: keys that came only from unknown `APACHESCAN_*` variables are removed. */
function dropUnknownEnvironment(
  argv: Record<string, unknown>,
  known: ReadonlySet<string>,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): void {
  for (const name of Object.keys(env)) {
    if (!name.startsWith(`${ENV_PREFIX}_`) || name.includes('__')) continue;
    const key = camelCase(name.slice(ENV_PREFIX.length + 1));
    if (known.has(key)) continue;
    warn(`ignoring ${name}: no option --${kebabCase(key)}`);
    delete argv[key];
    delete argv[kebabCase(key)];
  }
}

const YES = /^(?:1|true|yes|on)$/i;
const NO = /^(?:0|false|no|off)$/i;

/** The usual spellings of yes and no; undefined for anything else. */
export function parseBoolean(text: string): boolean | undefined {
  const trimmed = text.trim();
  return YES.test(trimmed) ? true : NO.test(trimmed) ? false : undefined;
}

/** Before validation: `APACHESCAN_ONCE=1` sets --once (unless the command line says otherwise); `=maybe` is a UsageError. */
function booleansFromEnvironment(
  argv: Record<string, unknown>,
  options: OptionTable,
  env: NodeJS.ProcessEnv,
  commandLine: () => Record<string, unknown>,
): void {
  keys: for (const key of options.boolean) {
    if (key === 'help' || key === 'version') continue;
    const names = [key, ...(options.alias[key] ?? [])];
    for (const name of names) {
      const variable = `${ENV_PREFIX}_${name.toUpperCase().replace(/-/g, '_')}`;
      const text = env[variable];
      if (text === undefined) continue;
      if (givenOnCommandLine(commandLine(), key, options)) continue keys;
      const value = parseBoolean(text);
      if (value === undefined) throw new UsageError(`${variable} must be 1/0, true/false, yes/no or on/off, got '${printable(text)}'`);
      for (const n of names) {
        argv[n] = value;
        argv[camelCase(n)] = value;
      }
      continue keys;
    }
  }
}

/** The yes/no options' names and aliases, in kebab-case and camelCase. */
function booleanNames(options: OptionTable): Set<string> {
  return namesOf(options.boolean, options.alias);
}

/** Every option name and alias, in kebab-case and camelCase. */
function knownNames(y: Argv<unknown>): Set<string> {
  const options = optionTable(y);
  return namesOf(Object.keys(options.key), options.alias);
}

/** The names of `keys` and of their aliases, each in kebab-case and camelCase. */
function namesOf(keys: readonly string[], alias: Record<string, string[]>): Set<string> {
  const names = new Set<string>();
  for (const key of keys) {
    for (const name of [key, ...(alias[key] ?? [])]) {
      names.add(name);
      names.add(camelCase(name));
      names.add(kebabCase(name));
    }
  }
  return names;
}

function camelCase(text: string): string {
  return text.toLowerCase().replace(/[-_]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function kebabCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').slice(0, 100);
}
