import type { Argv } from 'yargs';
import { parseListenAddress } from '../sinks/prometheus/listenAddress.js';
import { UsageError } from './usageError.js';
import type { WebConfig } from './webSinks.js';

/** `--serve`, `--serve-token`, `--report`: the web page of the traffic, live or as a file. */
export function addWebOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('serve', {
      type: 'string',
      requiresArg: true,
      describe:
        'serve a live web page of the traffic on [HOST:]PORT (host defaults to 127.0.0.1); with --once or - it keeps serving after the end until Ctrl-C',
    })
    .option('serve-token', {
      type: 'string',
      requiresArg: true,
      describe: 'require this token for --serve: Authorization: Bearer TOKEN, or open http://HOST:PORT/?token=TOKEN',
    })
    .option('report', {
      type: 'string',
      requiresArg: true,
      describe: 'write a self-contained HTML report of the run to FILE.html when it ends (repeat for several files)',
    })
    .group(['serve', 'serve-token', 'report'], 'Web page:') as Argv<T>;
}

/** The web options of parsed arguments, checked (one line and exit 2 when wrong). */
/** @param linger keep serving after the input's end until Ctrl-C (a replay, standard input) */
export function webArgsOf(args: Record<string, unknown>, interval: number, linger: boolean): WebConfig | undefined {
  const serve = last(args['serve']);
  const token = last(args['serve-token']);
  const reports = [args['report']].flat().filter((r): r is string => typeof r === 'string');
  if (serve !== undefined) {
    try {
      parseListenAddress(serve);
    } catch (err) {
      throw new UsageError(`--serve: ${(err as Error).message}`);
    }
  }
  if (token !== undefined && serve === undefined) throw new UsageError('--serve-token needs --serve');
  if (token !== undefined && !/^[\x21-\x7e]{8,}$/.test(token))
    throw new UsageError('--serve-token must be at least 8 printable characters without spaces');
  if (reports.some((r) => r === '')) throw new UsageError('--report needs a file name');
  if (serve === undefined && reports.length === 0) return undefined;
  return { ...(serve === undefined ? {} : { serve }), ...(token === undefined ? {} : { token }), reports, interval, linger };
}

function last(value: unknown): string | undefined {
  const v = Array.isArray(value) ? (value as unknown[]).at(-1) : value;
  return typeof v === 'string' ? v : undefined;
}
