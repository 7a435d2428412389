import yargs, { type Argv } from 'yargs';
import { UsageError } from './usageError.js';
import { nonNegativeInteger, nonNegativeNumber, positiveNumber } from './numbers.js';
import type { CliIo } from './io.js';
import type { RunConfig } from './runMonitor.js';
import { addAlertOptions, alertSinksOf } from './alertOptions.js';
import { addServiceOptions } from './serviceOptions.js';

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
  const cli = yargs(argv.map((arg) => (arg === '-' ? STDIN_TOKEN : arg)))
    .scriptName('apachescan')
    .usage('$0 [file] [options]\n\nFollow an Apache/Nginx access log: 10 s interval statistics and high-traffic alerts.')
    .command(
      '$0 [file]',
      'monitor an access log (default /tmp/access.log; - reads standard input)',
      (y) => y.positional('file', { type: 'string', describe: 'log file to read (also -f/--file), or - for standard input' }),
      async (args) => {
        const config = toRunConfig(args);
        // Loaded only when there is work to do: `--help` stays fast.
        const { runMonitor } = await import('./runMonitor.js');
        await runMonitor(config, io);
      },
    )
    .option('file', { alias: 'f', type: 'string', describe: 'log file (same as the positional argument)' })
    .option('once', { alias: 'l', type: 'boolean', default: false, describe: 'read to the end of the input and stop instead of following' })
    .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text blocks, or one JSON object per line (NDJSON)' })
    .option('json', { type: 'boolean', default: false, describe: 'same as --output json' })
    .option('format', { type: 'string', default: 'auto', describe: "auto (Common or Combined), common, combined, vhost_combined, or an Apache LogFormat string" })
    .option('interval', { alias: 'i', type: 'string', default: '10', coerce: positiveNumber('interval'), describe: 'seconds per statistics interval' })
    .option('lateness', { alias: 'out-of-order', type: 'string', default: '10', coerce: nonNegativeNumber('lateness'), describe: 'seconds a line may arrive out of order before it counts as late' })
    .option('alert-window', { type: 'string', default: '120', coerce: positiveNumber('alert-window'), describe: 'seconds the alert averages over (a multiple of --interval)' })
    .option('threshold', { alias: 't', type: 'string', default: '10', coerce: nonNegativeNumber('threshold'), describe: 'alert when the average rate exceeds this many requests/s' })
    .option('recover-threshold', { type: 'string', coerce: nonNegativeNumber('recover-threshold'), describe: 'recover at or below this rate (default: --threshold)' })
    .option('top', { type: 'string', default: '5', coerce: nonNegativeInteger('top'), describe: 'sections listed per interval' })
    .option('idle-timeout', { type: 'string', coerce: positiveNumber('idle-timeout'), describe: 'follow mode: seconds without lines after which windows close by the clock (default: --lateness, at least 1)' })
    .option('checkpoint', { type: 'string', describe: 'follow mode: where to save progress (default $XDG_STATE_HOME/apachescan/...); --no-checkpoint: none' })
    .option('reset', { alias: 'r', type: 'boolean', default: false, describe: 'ignore a saved checkpoint and start over' })
    .option('from-end', { type: 'boolean', default: false, describe: 'follow mode without a checkpoint: start at the end of the file' })
    .option('prometheus', { type: 'string', describe: 'serve Prometheus metrics on [HOST:]PORT (host defaults to 127.0.0.1)' })
    .option('influx', { type: 'string', describe: 'write interval statistics to InfluxDB: http://HOST:8086/write?db=NAME (1.x) or .../api/v2/write?org=O&bucket=B' })
    .option('influx-token', { type: 'string', describe: 'InfluxDB API token (2.x/3.x), sent as Authorization: Token' })
    .group(['once', 'idle-timeout', 'checkpoint', 'reset', 'from-end'], 'Following:')
    .group(['output', 'json', 'prometheus', 'influx', 'influx-token'], 'Output:')
    .group(['format', 'interval', 'lateness', 'alert-window', 'threshold', 'recover-threshold', 'top'], 'Analysis:')
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .alias('version', 'V')
    .wrap(Math.min(HELP_WIDTH, process.stdout.columns || HELP_WIDTH))
    .exitProcess(false)
    .fail((message, error) => {
      throw error instanceof UsageError ? error : new UsageError(message || error?.message || 'invalid command line');
    });
  return addServiceOptions(addAlertOptions(cli), (message) => void io.stderr.write(`apachescan: ${message}\n`));
}

/** The widest help text; `bin/` prints a copy rendered at this width without loading yargs. */
export const HELP_WIDTH = 100;

/** The help text at `width` columns, as `--help` prints it. */
export async function renderHelp(width: number = HELP_WIDTH): Promise<string> {
  return createCli([]).wrap(width).getHelp();
}

function toRunConfig(args: Record<string, unknown>): RunConfig {
  const positional = args['file'];
  const given = typeof positional === 'string' && positional !== '' ? positional : DEFAULT_FILE;
  const file = given === STDIN_TOKEN ? '-' : given;
  const seconds = (name: string): number => (args[name] as number) * 1000;
  const recover = args['recover-threshold'];
  const interval = seconds('interval');
  const alertWindow = seconds('alert-window');
  if (alertWindow % interval !== 0) {
    throw new UsageError(`--alert-window (${alertWindow / 1000}) must be a multiple of --interval (${interval / 1000})`);
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
  return {
    file,
    once: args['once'] === true,
    consumers: {
      output: args['json'] === true ? 'json' : (args['output'] as 'text' | 'json'),
      alertWindow,
      top: args['top'] as number,
      ...(prometheus === undefined ? {} : { prometheus }),
      ...(influx === undefined ? {} : { influx }),
      ...(influxToken === undefined ? {} : { influxToken }),
      ...alertSinksOf(args),
    },
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
    },
  };
}

function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}
