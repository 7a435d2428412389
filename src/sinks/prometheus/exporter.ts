import type { Registry } from 'prom-client';
import type { AccessRecord, MonitorEvent } from '../../types.js';
import { createRequestHistograms } from './histograms.js';
import { DEFAULT_HOST, formatListenAddress, type ListenAddress } from './listenAddress.js';
import { createExporterMetrics } from './metrics.js';
import { createRecorder } from './recorder.js';
import { startMetricsServer } from './server.js';
import { SinkError } from '../../errors.js';
import type { Sink, SinkReport } from '../sink.js';

/** Where the exporter listens and how it labels and averages. */
export interface PrometheusExporterOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see `address.port`). */
  readonly port: number;
  /** Sections of each stats event that may get a label of their own. Default: all listed. */
  readonly top?: number;
  /** Cap on distinct `section` labels over the process lifetime, besides `other`. Default 50. */
  readonly maxSections?: number;
  /** Window of `apachescan_alert_window_requests_per_second`, ms; pass the engine's `alertWindow`. Default 120 000. */
  readonly alertWindow?: number;
  /** The engine's alert threshold (req/s), served as `apachescan_alert_threshold_requests_per_second`. Default 10. */
  readonly threshold?: number;
  /** Serve the process and Node.js metrics too (`process_*`, `nodejs_*`). Default true. */
  readonly processMetrics?: boolean;
}

/**
 * A running exporter, a {@link Sink}: feed it events (and requests or records, for the
 * histograms), close it at the end. Its report counts the events applied; it has nothing to
 * deliver (Prometheus scrapes it).
 */
export interface PrometheusExporter extends Sink {
  /** Where it actually listens (the real port when 0 was asked). */
  readonly address: ListenAddress;
  /** `http://HOST:PORT/metrics`. */
  readonly url: string;
  /** The registry served, for metrics of other parts (the alert sinks' delivery counts). */
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
  /** Stops the HTTP server. Idempotent. */
  close(): Promise<SinkReport>;
}

/**
 * Serves the monitor's events as Prometheus metrics on `GET /metrics`.
 *
 * @example
 * ```ts
 * const exporter = await startPrometheusExporter({ port: 9100, alertWindow: 120_000, threshold: 10 });
 * await lastValueFrom(monitor(lines$, { onRequest: exporter.observeRequest }).pipe(tap(exporter.observer)));
 * await exporter.close();
 * ```
 * @throws SinkError (rejected promise) when it cannot listen or an option is invalid.
 */
export async function startPrometheusExporter(options: PrometheusExporterOptions): Promise<PrometheusExporter> {
  const { host = DEFAULT_HOST, port } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new SinkError(`invalid port ${port}: expected an integer 0..65535`);
  const metrics = createExporterMetrics(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics });
  let apply: (event: MonitorEvent) => void;
  try {
    apply = createRecorder(metrics, pickRecorderOptions(options));
  } catch (err) {
    throw new SinkError(err instanceof Error ? err.message : String(err), undefined, { cause: err });
  }
  const observeRequest = createRequestHistograms(metrics.registry);
  const observeRecord = (record: AccessRecord): void => observeRequest(record.bytes, record.duration);
  const server = await startMetricsServer(metrics.registry, { host, port });
  let closing: Promise<SinkReport> | undefined;
  let applied = 0;
  const next = (event: MonitorEvent): void => {
    if (closing === undefined) applied++;
    apply(event);
  };
  return {
    address: server.address,
    url: `http://${formatListenAddress(server.address)}/metrics`,
    registry: metrics.registry,
    next,
    observeRecord,
    observeRequest,
    request: observeRequest,
    observer: { next },
    close: () => (closing ??= server.close().then(() => ({ name: 'prometheus', delivered: applied, undelivered: 0 }))),
  };
}

function pickRecorderOptions(options: PrometheusExporterOptions) {
  const { top, maxSections, alertWindow, threshold } = options;
  if (alertWindow !== undefined && !(Number.isFinite(alertWindow) && alertWindow > 0)) {
    throw new RangeError(`alertWindow must be a positive number of ms, got ${alertWindow}`);
  }
  if (threshold !== undefined && !(Number.isFinite(threshold) && threshold >= 0)) {
    throw new RangeError(`threshold must be a non-negative number of requests/s, got ${threshold}`);
  }
  return {
    ...(top === undefined ? {} : { top }),
    ...(maxSections === undefined ? {} : { maxSections }),
    ...(alertWindow === undefined ? {} : { alertWindow }),
    ...(threshold === undefined ? {} : { threshold }),
  };
}
