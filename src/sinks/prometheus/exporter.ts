import type { Registry } from 'prom-client';
import type { AccessRecord, MonitorEvent } from '../../types.js';
import { createRequestHistograms } from './histograms.js';
import { DEFAULT_HOST, formatListenAddress, type ListenAddress } from './listenAddress.js';
import { createExporterMetrics, type ExporterMetrics } from './metrics.js';
import { createRecorder } from './recorder.js';
import { startMetricsServer } from './server.js';
import { SinkError } from '../../errors.js';
import { defined } from '../../core/defined.js';
import type { Sink, SinkReport } from '../sink.js';

/** How the exporter labels and averages, whether it serves its own `/metrics` or not. */
export interface PrometheusMetricsOptions {
  /** Sections of each stats event that may get a label of their own. Default: all listed. */
  readonly top?: number;
  /** Cap on distinct `section` labels over the process lifetime, besides `other`. Default 50. */
  readonly maxSections?: number;
  /** Window of `apachescan_alert_window_requests_per_second`, ms; pass the engine's `alertWindow`. Default 120 000. */
  readonly alertWindow?: number;
  /** The engine's alert threshold (req/s), served as `apachescan_alert_threshold_requests_per_second`. Default 10. */
  readonly threshold?: number;
  /**
   * Register the process and Node.js metrics too (`process_*`, `nodejs_*`). Default true;
   * skipped in a `registry` that already holds them (see {@link PrometheusRegistryOptions}).
   */
  readonly processMetrics?: boolean;
}

/** Where the exporter listens and how it labels and averages. */
export interface PrometheusExporterOptions extends PrometheusMetricsOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see `address.port`). */
  readonly port: number;
  /** Not with a port: see {@link PrometheusRegistryOptions}. */
  readonly registry?: undefined;
}

/**
 * The exporter inside an app that serves its own `/metrics`: the metrics go into the app's
 * prom-client `Registry`, no port is opened. prom-client's default process metrics
 * (`collectDefaultMetrics`) are registered in it unless it already holds them
 * (`process_cpu_user_seconds_total` is there) or `processMetrics` is false; an app that calls
 * `collectDefaultMetrics` on it after the exporter started gets prom-client's "has already
 * been registered" error, so call it first or pass `processMetrics: false`. Closing leaves the
 * metrics in the registry, at their last values.
 */
export interface PrometheusRegistryOptions extends PrometheusMetricsOptions {
  /** The app's registry (prom-client 15), which the app serves itself. */
  readonly registry: Registry;
  /** Not with a registry. */
  readonly host?: undefined;
  /** Not with a registry. */
  readonly port?: undefined;
}

/**
 * The exporter as a {@link Sink}: feed it events (and requests or records, for the
 * histograms), close it at the end. Its report counts the events applied; it has nothing to
 * deliver (Prometheus scrapes it).
 */
export interface PrometheusSink extends Sink {
  /** The registry the metrics are in: the app's own, or the exporter's private one that `/metrics` serves. */
  readonly registry: Registry;
  /** Applies one event to the metrics. Never throws for odd values; safe after `close()`. */
  next(event: MonitorEvent): void;
  /**
   * Adds one parsed record to the histograms (`apachescan_response_size_bytes`,
   * `apachescan_request_duration_seconds`): pass it as the engine's `onRecord` option.
   */
  observeRecord(record: AccessRecord): void;
  /**
   * The same from a request's size and duration: pass it as the engine's `onRequest` option,
   * which builds no record per line.
   */
  observeRequest(bytes: number, duration: number | undefined): void;
  /** The same as `observeRequest` (the {@link Sink} hook). */
  request(bytes: number, duration: number | undefined): void;
  /** `{ next }`, for `events$.pipe(tap(exporter.observer))` or `subscribe`. */
  readonly observer: {
    /** The same as the exporter's `next`. */
    readonly next: (event: MonitorEvent) => void;
  };
  /** Stops the HTTP server, if it has one. Idempotent. */
  close(): Promise<SinkReport>;
}

/** A running exporter with its own HTTP server: a {@link PrometheusSink} that serves `/metrics`. */
export interface PrometheusExporter extends PrometheusSink {
  /** Where it actually listens (the real port when 0 was asked). */
  readonly address: ListenAddress;
  /** `http://HOST:PORT/metrics`. */
  readonly url: string;
}

/**
 * Serves the monitor's events as Prometheus metrics on `GET /metrics`, on a port of its own;
 * or, given an app's prom-client `registry` instead of a port, puts them in that registry,
 * which the app serves itself.
 *
 * @example
 * ```ts
 * import { lastValueFrom, tap } from 'rxjs';
 * import { monitor } from 'apachescan';
 * import { startPrometheusExporter } from 'apachescan/prometheus';
 *
 * const exporter = await startPrometheusExporter({ port: 9100, alertWindow: 120_000, threshold: 10 });
 * await lastValueFrom(monitor(lines$, { onRequest: exporter.observeRequest }).pipe(tap(exporter.observer)));
 * await exporter.close();
 * ```
 * @example In an app that serves its own metrics page
 * ```ts
 * import { createServer } from 'node:http';
 * import { Registry, collectDefaultMetrics } from 'prom-client';
 * import { monitor } from 'apachescan';
 * import { startPrometheusExporter } from 'apachescan/prometheus';
 *
 * const registry = new Registry();
 * collectDefaultMetrics({ register: registry }); // before: the exporter then leaves them be
 * const sink = await startPrometheusExporter({ registry, alertWindow: 120_000, threshold: 10 });
 * monitor(lines$, { onRequest: sink.observeRequest }).subscribe(sink.observer);
 * createServer(async (_req, res) => res.setHeader('Content-Type', registry.contentType).end(await registry.metrics())).listen(8080);
 * ```
 * @throws SinkError (rejected promise) when it cannot listen, an option is invalid, or the
 * registry already holds apachescan's metrics (an exporter started twice on it).
 */
export async function startPrometheusExporter(options: PrometheusExporterOptions): Promise<PrometheusExporter>;
/**
 * The same without a port: the metrics go into the app's `registry`, which the app serves
 * itself (see {@link PrometheusRegistryOptions}); the sink has no `address` or `url`.
 *
 * @throws SinkError (rejected promise) when an option is invalid or the registry already holds
 * apachescan's metrics.
 */
export async function startPrometheusExporter(options: PrometheusRegistryOptions): Promise<PrometheusSink>;
export async function startPrometheusExporter(
  options: PrometheusExporterOptions | PrometheusRegistryOptions,
): Promise<PrometheusSink | PrometheusExporter> {
  const { registry, host, port } = options;
  if (registry !== undefined && (port !== undefined || host !== undefined)) {
    throw new SinkError('give the exporter a port to listen on or an app registry to fill, not both');
  }
  if (registry === undefined && (port === undefined || !Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new SinkError(`invalid port ${port}: expected an integer 0..65535`);
  }
  let metrics: ExporterMetrics;
  let apply: (event: MonitorEvent) => void;
  let observeRequest: (bytes: number, duration: number | undefined) => void;
  const appMetrics = new Set(registry?.getMetricsAsArray().map((metric) => metric.name));
  try {
    const recorderOptions = pickRecorderOptions(options);
    metrics = createExporterMetrics(defined({ processMetrics: options.processMetrics, registry }));
    apply = createRecorder(metrics, recorderOptions);
    observeRequest = createRequestHistograms(metrics.registry);
  } catch (err) {
    // An app's registry is left as it was given, not half filled.
    for (const metric of registry?.getMetricsAsArray() ?? []) if (!appMetrics.has(metric.name)) registry?.removeSingleMetric(metric.name);
    throw new SinkError(err instanceof Error ? err.message : String(err), undefined, { cause: err });
  }
  const observeRecord = (record: AccessRecord): void => observeRequest(record.bytes, record.duration);
  const server =
    registry === undefined ? await startMetricsServer(metrics.registry, { host: host ?? DEFAULT_HOST, port: port ?? 0 }) : undefined;
  let closing: Promise<SinkReport> | undefined;
  let applied = 0;
  const next = (event: MonitorEvent): void => {
    if (closing === undefined) applied++;
    apply(event);
  };
  const report = (): SinkReport => ({ name: 'prometheus', delivered: applied, undelivered: 0 });
  const sink: PrometheusSink = {
    registry: metrics.registry,
    next,
    observeRecord,
    observeRequest,
    request: observeRequest,
    observer: { next },
    close: () => (closing ??= server === undefined ? Promise.resolve(report()) : server.close().then(report)),
  };
  return server === undefined ? sink : { ...sink, address: server.address, url: `http://${formatListenAddress(server.address)}/metrics` };
}

function pickRecorderOptions(options: PrometheusMetricsOptions) {
  const { top, maxSections, alertWindow, threshold } = options;
  if (alertWindow !== undefined && !(Number.isFinite(alertWindow) && alertWindow > 0)) {
    throw new RangeError(`alertWindow must be a positive number of ms, got ${alertWindow}`);
  }
  if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0)) {
    throw new RangeError(`threshold must be a non-negative number of requests/s, got ${threshold}`);
  }
  return defined({ top, maxSections, alertWindow, threshold });
}
