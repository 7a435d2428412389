/**
 * The Prometheus exporter the CLI's `--prometheus` runs: `/metrics` served from the
 * engine's events, on a port of its own or from an app's own prom-client `Registry`. Loads
 * `prom-client` (a dependency of the package).
 *
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
export { parseListenAddress, formatListenAddress, DEFAULT_HOST, type ListenAddress } from './listenAddress.js';
export { SinkError } from '../../errors.js';
export type { Sink, SinkReport } from '../sink.js';
export { createExporterMetrics, STATUS_CLASSES, type ExporterMetrics, type ExporterMetricsOptions } from './metrics.js';
export { createRecorder, type RecorderOptions } from './recorder.js';
export { createSectionLabels, foldSections, OTHER_SECTION, MAX_SECTION_LABEL_LENGTH, type SectionLabels } from '../../core/sectionLabels.js';
export { createRecordHistograms, createRequestHistograms, RESPONSE_SIZE_BUCKETS, REQUEST_DURATION_BUCKETS } from './histograms.js';
