import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Registry } from 'prom-client';
import type { Sink } from '../sinks/sink.js';
import type { RuleMetaJson } from '../sinks/web/model/eventJson.js';
import type { CliIo } from './io.js';
import type { LivePeek } from './liveInterval.js';
import { UsageError } from './usageError.js';

/** `--serve [HOST:]PORT`, `--serve-token`, `--report FILE...`. */
export interface WebConfig {
  readonly serve?: string;
  readonly token?: string;
  readonly reports: readonly string[];
  /** The engine's interval, ms (the page's axis). */
  readonly interval: number;
  /** The page stays up after the input's end until Ctrl-C (`--once`, standard input). */
  readonly linger: boolean;
  /** The alert rules (`--rule`, a config file's), for the page's Rules panel. */
  readonly rules?: readonly RuleMetaJson[];
}

export interface WebSinksInput {
  readonly web?: WebConfig;
  readonly prometheus?: string;
  readonly alertWindow: number;
  readonly by?: 'file' | 'vhost';
  readonly view: {
    readonly file: string;
    readonly mode: 'follow' | 'replay';
    readonly threshold: number;
    readonly peek: () => LivePeek | undefined;
  };
  readonly top: number;
}

/** The web sinks, and the Prometheus registry when `/metrics` is served on the page's port. */
export interface WebSinks {
  readonly sinks: Sink[];
  /** Set when `--prometheus` names the `--serve` address: the exporter is among `sinks`, served there. */
  readonly registry?: Registry;
}

/**
 * Opens `--report` sinks (checking that each file can be written, before the run) and the
 * `--serve` page. A replay (`--once`) keeps serving after its end until Ctrl-C.
 */
export async function openWebSinks(config: WebSinksInput, io: CliIo): Promise<WebSinks> {
  const web = config.web;
  if (web === undefined) return { sinks: [] };
  const say = (message: string): void => void io.stderr.write(`apachescan: ${message}\n`);
  // A report alone loads no server code.
  const { createReportSink } = await import('../sinks/web/report.js');
  const meta = {
    source: config.view.file,
    threshold: config.view.threshold,
    alertWindow: config.alertWindow / 1000,
    interval: web.interval / 1000,
    ...(config.by === undefined ? {} : { by: config.by }),
    ...(web.rules === undefined ? {} : { rules: web.rules }),
  };
  const sinks: Sink[] = [];
  for (const file of web.reports) {
    await access(dirname(file), constants.W_OK).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(
        `--report ${JSON.stringify(file)}: cannot write in ${JSON.stringify(dirname(file))} (${err.code ?? err.message})`,
      );
    });
    sinks.push(await createReportSink(file, meta));
  }
  if (web.serve === undefined) return { sinks };
  const { startWebSink, isLoopback } = await import('../sinks/web/webSink.js');
  const { parseListenAddress, formatListenAddress } = await import('../sinks/prometheus/listenAddress.js');
  const address = parseListenAddress(web.serve);
  let registry: Registry | undefined;
  let metrics: (() => Promise<{ contentType: string; body: string }>) | undefined;
  if (config.prometheus !== undefined && formatListenAddress(parseListenAddress(config.prometheus)) === formatListenAddress(address)) {
    const { Registry: PromRegistry } = await import('prom-client');
    const { startPrometheusExporter } = await import('../sinks/prometheus/index.js');
    const reg = new PromRegistry();
    sinks.push(
      await startPrometheusExporter({ registry: reg, alertWindow: config.alertWindow, threshold: config.view.threshold, top: config.top }),
    );
    registry = reg;
    metrics = async () => ({ contentType: reg.contentType, body: await reg.metrics() });
  }
  const linger = web.linger
    ? new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => resolve());
      })
    : undefined;
  const page = await startWebSink({
    ...address,
    meta: { ...meta, mode: config.view.mode },
    ...(web.token === undefined ? {} : { token: web.token }),
    ...(metrics === undefined ? {} : { metrics }),
    ...(linger === undefined ? {} : { linger, onLinger: () => say('input done; the web page stays up until Ctrl-C') }),
    progress: config.view.peek,
  });
  if (!isLoopback(address.host))
    say(
      `warning: the web page listens on ${formatListenAddress(page.address)}, reachable from other machines${web.token === undefined ? ' by anyone (give --serve-token)' : ''}`,
    );
  say(
    `serving the web page at ${page.url}${web.token === undefined ? '' : ' (with ?token=...)'}${metrics === undefined ? '' : ' and Prometheus metrics at /metrics'}`,
  );
  sinks.push(page);
  return { sinks, ...(registry === undefined ? {} : { registry }) };
}
