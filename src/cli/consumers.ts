import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { AlertEvent, MonitorEvent } from '../types.js';
import { formatJson } from '../sinks/jsonFormat.js';
import { formatText } from '../sinks/textFormat.js';
import { escapeControl } from '../sinks/escapeControl.js';
import type { CliIo } from './io.js';
import { DeliveryError } from './deliveryError.js';
import { UsageError } from './usageError.js';
import { openAlertConsumers, type AlertSinksConfig } from './alertConsumers.js';

/** A subscriber of the engine's events that may hold resources (a server, a connection). */
export interface Consumer {
  next(event: MonitorEvent): void;
  /** Per-request data (the engine's `onRequest`), for consumers that keep histograms. */
  request?(bytes: number, duration: number | undefined): void;
  /**
   * The run resumed from a checkpoint while the alert fires (`fired`: the transition an
   * earlier run reported): for consumers that must keep saying so (Alertmanager forgets).
   */
  resumeFiring?(fired: AlertEvent): void;
  close(): Promise<void>;
}

export interface ConsumerConfig extends AlertSinksConfig {
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
  /** What the live terminal view shows in its header, and where it peeks at the open interval. */
  readonly view: { readonly file: string; readonly mode: 'follow' | 'replay'; readonly threshold: number; readonly peek: () => { start: number; hits: number; idle?: number | undefined } | undefined };
}

/** Opens every consumer the command line asked for; the heavy ones load only when asked for. */
export async function openConsumers(config: ConsumerConfig, io: CliIo): Promise<Consumer[]> {
  const consumers: Consumer[] = [];
  let registry: Registry | undefined;
  try {
    consumers.push(await openTerminal(config, io));
    if (config.prometheus !== undefined) {
      const { startPrometheusExporter, parseListenAddress } = await import('../sinks/prometheus/index.js');
      const exporter = await startPrometheusExporter({ ...parseListenAddress(config.prometheus), alertWindow: config.alertWindow, threshold: config.view.threshold, top: config.top });
      io.stderr.write(`apachescan: serving Prometheus metrics at ${exporter.url}\n`);
      registry = exporter.registry;
      consumers.push({ next: (event) => exporter.consume(event), request: (bytes, duration) => exporter.observeRequest(bytes, duration), close: () => exporter.close() });
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
      consumers.push({
        next: (event) => writer.write(event),
        close: async () => {
          await writer.close();
          const { dropped, written } = writer.stats();
          if (dropped > 0) {
            throw new DeliveryError(`${dropped} of ${dropped + written} InfluxDB point(s) were not delivered to ${writer.endpoint} (--influx-timeout sets how long to keep trying at exit)`);
          }
        },
      });
    }
    consumers.push(...(await openAlertConsumers(config, config.view.file, io, registry)));
  } catch (err) {
    await closeConsumers(consumers).catch(() => undefined);
    if (err instanceof Error && err.name === 'SinkError') throw new UsageError(err.message, { cause: err });
    throw err;
  }
  return consumers;
}

/** Text on a TTY while following: the live view; otherwise (`--once`, piped) plain, stable text or NDJSON. */
async function openTerminal(config: ConsumerConfig, io: CliIo): Promise<Consumer> {
  const stdout = io.stdout as CliIo['stdout'] & { isTTY?: boolean };
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
  const format = config.output === 'json' ? formatJson : formatText;
  if (config.buffered !== true) return { next: (event) => void io.stdout.write(`${format(event)}\n`), close: async () => undefined };
  let pending = '';
  const flush = (): void => {
    if (pending !== '') io.stdout.write(pending);
    pending = '';
  };
  return {
    next: (event) => {
      pending += `${format(event)}\n`;
      if (pending.length >= BLOCK || event.type !== 'stats') flush();
    },
    close: async () => flush(),
  };
}

const BLOCK = 64 * 1024;

/** Closes every consumer; then rejects with the first failure (e.g. a `DeliveryError`), if any. */
export async function closeConsumers(consumers: readonly Consumer[]): Promise<void> {
  const results = await Promise.allSettled(consumers.map((c) => c.close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
