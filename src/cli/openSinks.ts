import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { Sink } from '../sinks/sink.js';
import { closeSinks } from '../sinks/connectSinks.js';
import { createTextSink } from '../sinks/textSink.js';
import { escapeControl } from '../sinks/escapeControl.js';
import type { CliIo } from './io.js';
import { UsageError } from './usageError.js';
import { SinkError } from '../errors.js';
import type { LivePeek } from './liveInterval.js';
import { openAlertSinks, type AlertSinksConfig } from './alertSinks.js';
import { openWebSinks, type WebConfig } from './webSinks.js';
import type { Rule } from '../core/rules/rule.js';

export interface SinksConfig extends AlertSinksConfig {
  readonly output: 'text' | 'json';
  /** Replay of a file: write in 64 KiB blocks instead of a write per event. */
  readonly buffered?: boolean;
  /** `[HOST:]PORT` for the Prometheus exporter. */
  readonly prometheus?: string;
  /** InfluxDB write URL (1.x `/write?db=..` or 2.x/3.x `/api/v2/write?..`) and optional token. */
  readonly influx?: string;
  readonly influxToken?: string;
  /** How long the InfluxDB writer may try to deliver buffered points at exit, ms. */
  readonly influxTimeout?: number;
  /** Averaging window of the alert, ms (the exporter's rate gauge uses the same). */
  readonly alertWindow: number;
  readonly top: number;
  /** `--serve`, `--report`. */
  readonly web?: WebConfig;
  /** `--by file|vhost` (the web page names the breakdown). */
  readonly by?: 'file' | 'vhost';
  /** `--backtest`: instead of the events, a report of when each alert fired (the rules, and the built-in alert's threshold). */
  readonly backtest?: { readonly rules: readonly Rule[]; readonly threshold: number };
  /** What the live terminal view shows in its header, and where it peeks at the open interval. */
  readonly view: {
    readonly file: string;
    readonly mode: 'follow' | 'replay';
    readonly threshold: number;
    readonly peek: () => LivePeek | undefined;
  };
}

/** Opens every sink the command line asked for; the heavy ones load only when asked for. */
export async function openSinks(config: SinksConfig, io: CliIo): Promise<Sink[]> {
  const sinks: Sink[] = [];
  let registry: Registry | undefined;
  try {
    sinks.push(await openTerminal(config, io));
    const web = await openWebSinks(config, io);
    sinks.push(...web.sinks);
    registry = web.registry;
    if (config.prometheus !== undefined && registry === undefined) {
      const { startPrometheusExporter } = await import('../sinks/prometheus/index.js');
      const { parseListenAddress } = await import('../sinks/prometheus/listenAddress.js');
      const exporter = await startPrometheusExporter({
        ...parseListenAddress(config.prometheus),
        alertWindow: config.alertWindow,
        threshold: config.view.threshold,
        top: config.top,
      });
      io.stderr.write(`apachescan: serving Prometheus metrics at ${exporter.url}\n`);
      registry = exporter.registry;
      sinks.push(exporter);
    }
    if (config.influx !== undefined) {
      const { createInfluxWriter } = await import('../sinks/influx/index.js');
      const writer = createInfluxWriter({
        url: config.influx,
        ...(config.influxToken === undefined ? {} : { token: config.influxToken }),
        ...(config.influxTimeout === undefined ? {} : { closeTimeout: config.influxTimeout }),
        tags: { host: hostname() || 'unknown' },
        alertWindow: config.alertWindow,
        threshold: config.view.threshold,
        onWarning: (message) => void io.stderr.write(`apachescan: ${escapeControl(message)}\n`),
      });
      io.stderr.write(`apachescan: writing interval statistics to ${escapeControl(writer.endpoint)}\n`);
      sinks.push(writer);
    }
    sinks.push(...(await openAlertSinks(config, config.view.file, io, registry)));
  } catch (err) {
    await closeSinks(sinks).catch(() => undefined);
    if (err instanceof SinkError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
  return sinks;
}

/** Text on a TTY while following: the live view; otherwise (`--once`, piped) plain, stable text or NDJSON. */
async function openTerminal(config: SinksConfig, io: CliIo): Promise<Sink> {
  const stdout = io.stdout as CliIo['stdout'] & { isTTY?: boolean };
  if (config.backtest !== undefined) {
    const { createBacktestSink, backtestAlerts } = await import('../sinks/backtest/index.js');
    const alerts = backtestAlerts(config.backtest.rules, { threshold: config.backtest.threshold, alertWindow: config.alertWindow });
    return createBacktestSink({ stream: io.stdout, format: config.output, alerts, alertWindow: config.alertWindow });
  }
  if (config.output === 'text' && stdout.isTTY === true && config.view.mode !== 'replay') {
    const { createTtyView, shouldColor } = await import('../sinks/tty/index.js');
    return createTtyView({
      stream: process.stdout,
      color: shouldColor(process.stdout, process.env),
      file: config.view.file,
      mode: config.view.mode,
      threshold: config.view.threshold,
      alertWindow: config.alertWindow,
      peek: config.view.peek,
    });
  }
  return createTextSink({ stream: io.stdout, format: config.output, buffered: config.buffered === true });
}

/** The hint the CLI adds to an output's "not delivered" line, by sink name. */
export const DELIVERY_HINTS: Readonly<Record<string, string>> = {
  influx: ' (--influx-timeout sets how long to keep trying at exit)',
};
