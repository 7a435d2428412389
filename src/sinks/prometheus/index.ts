/**
 * The Prometheus exporter the CLI's `--prometheus` runs: `/metrics` served from the
 * engine's events, on a port of its own or from an app's own prom-client `Registry`. Loads
 * `prom-client` (a dependency of the package).
 *
 * @packageDocumentation
 * @module apachescan/prometheus
 */
export {
  startPrometheusExporter,
  type PrometheusExporter,
  type PrometheusSink,
  type PrometheusExporterOptions,
  type PrometheusRegistryOptions,
  type PrometheusMetricsOptions,
} from './exporter.js';
export type { ListenAddress } from './listenAddress.js';
export type { Sink, SinkReport } from '../sink.js';
