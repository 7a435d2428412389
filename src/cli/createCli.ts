import yargs, { type Argv } from 'yargs';
import { UsageError } from './usageError.js';
import { nonNegativeInteger, nonNegativeNumber, positiveNumber } from './numbers.js';
import { addFilesOptions, filesArgsOf } from './filesOptions.js';
import type { CliIo } from './io.js';
import { oneLineUsage } from './yargsMessage.js';
import type { RunConfig } from './runMonitor.js';
import { addAlertOptions, alertSinksOf } from './alertOptions.js';
import { addServiceOptions } from './serviceOptions.js';
import { addWebOptions, webArgsOf } from './webOptions.js';
import { addRuleOptions, rulesOf } from './ruleOptions.js';
import { optionTable, parseCommandLine } from './commandLine.js';
import { completeWords } from './completion.js';
import { packageVersion } from '../sinks/packageVersion.js';

const DEFAULT_FILE = '/tmp/access.log';
/** yargs drops a lone `-`; it travels as this token (no path can contain NUL). */
const STDIN_TOKEN = '\0-';
/** Lines dated more than a day after the machine's clock are counted invalid (see README). */
const MAX_FUTURE = 86_400_000;

/**
 * The command line, as a yargs instance: tests drive it with `.parseAsync()`, the `bin/` shim
 * with `process.argv`. Mistakes reject with `UsageError` (never `process.exit` here).
 */
export function createCli(argv: readonly string[], io: CliIo = processIo()): Argv {
  const args = argv.map((arg) => (arg === '-' ? STDIN_TOKEN : arg));
  // What the command line alone says (not the environment nor the config file): it wins.
  let commandLine: ReturnType<typeof parseCommandLine> | undefined;
  const fromCommandLine = (): ReturnType<typeof parseCommandLine> => (commandLine ??= parseCommandLine(cli, args, ['file']));
  const cli = yargs(args)
    .scriptName('apachescan')
    .usage('$0 [file..] [options]\n\nFollow Apache/Nginx access logs: 10 s interval statistics and high-traffic alerts.')
    .command(
      '$0 [file..]',
      'monitor access logs (default /tmp/access.log; - reads standard input; several files and quoted globs are merged in event time)',
      (y) =>
        y.positional('file', {
          type: 'string',
          array: true,
          describe:
            "log file to read (default /tmp/access.log; also -f/--file FILE), or - for standard input; several files or quoted globs ('/var/log/apache2/*access.log') are merged in event time",
        }),
      async (parsed) => {
        const config = toRunConfig(
          parsed,
          commandLineFiles(fromCommandLine()),
          (cli as unknown as { parsed: { defaulted?: Record<string, boolean> } | false }).parsed,
        );
        // Loaded only when there is work to do: `--help` stays fast.
        const { runMonitor } = await import('./runMonitor.js');
        await runMonitor(config, io);
      },
    )
    // -f is its own key: as an alias of the positional, help would list it as "file, f".
    .option('f', { type: 'string', requiresArg: true, hidden: true })
    .option('once', { alias: 'l', type: 'boolean', default: false, describe: 'read to the end of the input and stop instead of following' })
    .option('output', {
      alias: 'o',
      choices: ['text', 'json'] as const,
      default: 'text' as const,
      requiresArg: true,
      describe: 'text blocks, or one JSON object per line (NDJSON)',
    })
    .option('json', { type: 'boolean', default: false, describe: 'same as --output json' })
    .option('format', {
      type: 'string',
      default: 'auto',
      requiresArg: true,
      describe: 'auto (Common, Combined or vhost_combined), common, combined, vhost_combined, or an Apache LogFormat string',
    })
    .option(
      'interval',
      numeric({ alias: 'i', default: 10, coerce: positiveNumber('interval'), describe: 'seconds per statistics interval' }),
    )
    .option(
      'lateness',
      numeric({
        alias: 'out-of-order',
        default: 10,
        coerce: nonNegativeNumber('lateness'),
        describe: 'seconds a line may arrive out of order before it counts as late',
      }),
    )
    .option(
      'alert-window',
      numeric({
        default: 120,
        coerce: positiveNumber('alert-window'),
        describe: 'seconds the alert averages over (a multiple of --interval)',
      }),
    )
    .option(
      'threshold',
      numeric({
        alias: 't',
        default: 10,
        coerce: nonNegativeNumber('threshold'),
        describe: 'alert when the average rate exceeds this many requests/s',
      }),
    )
    .option(
      'recover-threshold',
      numeric({ coerce: nonNegativeNumber('recover-threshold'), describe: 'recover at or below this rate (default: --threshold)' }),
    )
    .option('top', numeric({ default: 5, coerce: nonNegativeInteger('top'), describe: 'sections listed per interval' }))
    .option(
      'show-invalid',
      numeric({ coerce: nonNegativeInteger('show-invalid'), describe: 'print up to N invalid lines, with the reason, on stderr' }),
    )
    .option(
      'idle-timeout',
      numeric({
        coerce: positiveNumber('idle-timeout'),
        describe: 'follow mode: seconds without lines after which windows close by the clock (default: --lateness, at least 1)',
      }),
    )
    .option('checkpoint', {
      type: 'string',
      requiresArg: true,
      describe: 'follow mode: where to save progress (default $XDG_STATE_HOME/apachescan/...); --no-checkpoint: none',
    })
    .option('reset', { alias: 'r', type: 'boolean', default: false, describe: 'ignore a saved checkpoint and start over' })
    .option('from-end', { type: 'boolean', default: false, describe: 'follow mode without a checkpoint: start at the end of the file' })
    .option('prometheus', {
      type: 'string',
      requiresArg: true,
      describe: 'serve Prometheus metrics on [HOST:]PORT (host defaults to 127.0.0.1)',
    })
    .option('influx', {
      type: 'string',
      requiresArg: true,
      describe: 'write interval statistics to InfluxDB: http://HOST:8086/write?db=NAME (1.x) or .../api/v2/write?org=O&bucket=B',
    })
    .option('influx-token', { type: 'string', requiresArg: true, describe: 'InfluxDB API token (2.x/3.x), sent as Authorization: Token' })
    .option(
      'influx-timeout',
      numeric({
        default: 5,
        coerce: nonNegativeNumber('influx-timeout'),
        describe: 'seconds to keep trying to deliver buffered points at exit; exit 1 if some were not written',
      }),
    )
    .number(NUMBER_OPTIONS)
    .group(['once', 'idle-timeout', 'checkpoint', 'reset', 'from-end'], 'Following:')
    .group(['output', 'json', 'show-invalid', 'prometheus', 'influx', 'influx-token', 'influx-timeout'], 'Output:')
    .group(['format', 'interval', 'lateness', 'alert-window', 'threshold', 'recover-threshold', 'top'], 'Analysis:')
    .strict()
    .help()
    .alias('help', 'h')
    // Given, not guessed: yargs would look for the nearest package.json above the working
    // directory (a readdir of every folder up to it), another project's in a checkout of one.
    .version(packageVersion())
    .alias('version', 'V')
    .wrap(helpWidth())
    .exitProcess(false)
    .fail((message, error) => {
      throw error instanceof UsageError ? error : new UsageError(oneLineUsage(message || error?.message || 'invalid command line'));
    });
  const complete = (): string[] => completeWords(argv.slice(argv.indexOf('--get-yargs-completions') + 2), optionTable(cli));
  return addServiceOptions(
    addRuleOptions(addWebOptions(addAlertOptions(addFilesOptions(cli)))),
    (message) => void io.stderr.write(`apachescan: ${message}\n`),
    fromCommandLine,
    complete,
  );
}

/** The files the command line names: positionals, then `--file` and `-f` values. */
function commandLineFiles(parsed: Record<string, unknown> & { _: string[] }): string[] {
  return [...parsed._, ...[parsed['file'], parsed['f']].flat()].filter((f): f is string => typeof f === 'string' && f !== '');
}

const NUMBER_OPTIONS = [
  'interval',
  'lateness',
  'alert-window',
  'threshold',
  'recover-threshold',
  'top',
  'show-invalid',
  'idle-timeout',
  'influx-timeout',
];

/** Help is rendered at the terminal's width, or at this width when stdout is not a terminal. */
export const HELP_WIDTH = 80;

/** The width `--help` uses: the terminal's columns, else {@link HELP_WIDTH}. */
export function helpWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stdout.isTTY === true && (stdout.columns ?? 0) > 0 ? (stdout.columns as number) : HELP_WIDTH;
}

/** The help text at `width` columns, as `--help` prints it. */
export async function renderHelp(width: number = HELP_WIDTH): Promise<string> {
  return createCli([]).wrap(width).getHelp();
}

/**
 * A number option: parsed as text, so that `coerce` sees what was typed (`0x10` is not 16) and
 * a missing value is an error; listed as `[number]` in the help (see `Argv.number`).
 */
function numeric<T extends object>(spec: T): T & { type: 'string'; requiresArg: true } {
  return { ...spec, type: 'string', requiresArg: true };
}

/**
 * @param commandLineFiles the files the command line names: they replace those of the
 *   environment (`APACHESCAN_FILE`) or the config file (`"file"`), which yargs would add to them
 * @param parsed yargs' detailed parse: which options took their default
 */
function toRunConfig(
  args: Record<string, unknown>,
  commandLineFiles: readonly string[],
  parsed: { defaulted?: Record<string, boolean> } | false,
): RunConfig {
  const configured = [args['file'], args['f']].flat().filter((f): f is string => typeof f === 'string' && f !== '');
  const named = commandLineFiles.length > 0 ? commandLineFiles : configured;
  const files = (named.length === 0 ? [DEFAULT_FILE] : named).map((f) => (f === STDIN_TOKEN ? '-' : f));
  const file = files[0] as string;
  const seconds = (name: string): number => (args[name] as number) * 1000;
  const recover = args['recover-threshold'];
  const interval = seconds('interval');
  const alertWindow = seconds('alert-window');
  if (alertWindow % interval !== 0) {
    const defaulted = parsed !== false && parsed.defaulted?.['alert-window'] === true;
    throw new UsageError(
      defaulted
        ? defaultWindowMismatch(interval / 1000, alertWindow / 1000)
        : `--alert-window (${alertWindow / 1000}) must be a multiple of --interval (${interval / 1000})`,
    );
  }
  const threshold = args['threshold'] as number;
  if (typeof recover === 'number' && recover > threshold) {
    throw new UsageError(`--recover-threshold (${recover}) must not exceed --threshold (${threshold})`);
  }
  const idle = args['idle-timeout'];
  const checkpoint = args['checkpoint'];
  const text = (name: string): string | undefined => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
  const prometheus = text('prometheus');
  const influx = text('influx');
  const influxToken = text('influx-token');
  const showInvalid = args['show-invalid'];
  const web = webArgsOf(args, interval, args['once'] === true || files[0] === '-');
  const filesArgs = filesArgsOf(args, files);
  const rules = rulesOf(args, args['format'] as string, interval);
  if (args['backtest'] === true && args['once'] !== true) throw new UsageError('--backtest reads the logs to their end: add --once');
  return {
    file,
    files,
    ...filesArgs,
    once: args['once'] === true,
    sinks: {
      output: args['json'] === true ? 'json' : (args['output'] as 'text' | 'json'),
      alertWindow,
      top: args['top'] as number,
      ...(prometheus === undefined ? {} : { prometheus }),
      ...(influx === undefined ? {} : { influx }),
      ...(influxToken === undefined ? {} : { influxToken }),
      influxTimeout: seconds('influx-timeout'),
      ...alertSinksOf(args),
      ...(web === undefined
        ? {}
        : {
            web:
              rules.length === 0
                ? web
                : {
                    ...web,
                    rules: rules.map((r) => ({ rule: r.name, kind: r.kind, threshold: r.threshold, recover: r.recover ?? r.threshold })),
                  },
          }),
      ...(filesArgs.by === undefined ? {} : { by: filesArgs.by }),
      ...(args['backtest'] === true ? { backtest: { rules, threshold } } : {}),
    },
    showInvalid: typeof showInvalid === 'number' ? showInvalid : 0,

    follow: {
      checkpoint: checkpoint === false ? false : typeof checkpoint === 'string' && checkpoint !== '' ? checkpoint : undefined,
      reset: args['reset'] === true,
      fromEnd: args['from-end'] === true,
    },
    monitor: {
      maxFuture: MAX_FUTURE,
      ...(typeof idle === 'number' ? { idleTimeout: idle * 1000 } : {}),
      format: args['format'] as string,
      interval,
      lateness: seconds('lateness'),
      alertWindow,
      threshold,
      top: args['top'] as number,
      ...(typeof recover === 'number' ? { recoverThreshold: recover } : {}),
      ...(rules.length === 0 ? {} : { rules }),
    },
  };
}

/** `--interval 7` alone: the user never typed --alert-window, so name it as the default and say what works. */
function defaultWindowMismatch(interval: number, alertWindow: number): string {
  const divisors: number[] = [];
  for (let d = 1; d < alertWindow && divisors.length <= 8; d++) if (alertWindow % d === 0) divisors.push(d);
  const shown = divisors.length > 8 ? `${divisors.slice(0, 8).join(', ')}, ...` : [...divisors, alertWindow].join(', ');
  return `--interval ${interval} does not divide the default --alert-window ${alertWindow}: use an --interval that divides ${alertWindow} (${shown}) or give --alert-window a multiple of ${interval}`;
}

function processIo(): CliIo {
  // `process.stdin` only when asked for: made, it takes over descriptor 0 (see descriptorChunks.ts).
  return {
    get stdin() {
      return process.stdin;
    },
    stdinFd: 0,
    stdout: process.stdout,
    stderr: process.stderr,
  };
}
