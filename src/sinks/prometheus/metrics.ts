import { Counter, Gauge, Registry } from 'prom-client';

/** The exporter's metrics, all in one private registry (never prom-client's global one). */
export interface ExporterMetrics {
  readonly registry: Registry;
  readonly hits: Counter<'section'>;
  readonly responses: Counter<'status_class'>;
  readonly bytes: Counter;
  readonly invalidLines: Counter;
  readonly lateLines: Counter;
  readonly requestRate: Gauge;
  readonly alertFiring: Gauge;
  readonly lastEventTimestamp: Gauge;
  readonly windowHits: Gauge;
  readonly distinctClients: Gauge;
}

/** Status classes exported at 0 from the start, so `rate()` sees their first increase. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Creates a fresh registry with every apachescan metric registered in it. */
export function createExporterMetrics(): ExporterMetrics {
  const registry = new Registry();
  const registers = [registry];
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  return {
    registry,
    hits: new Counter({
      name: 'apachescan_hits_total',
      help: 'Requests counted in closed intervals, by section; unlisted sections and those past the label cap are in section="other".',
      labelNames: ['section'] as const,
      registers,
    }),
    responses: new Counter({
      name: 'apachescan_responses_total',
      help: 'Requests counted in closed intervals, by status class (2xx, 3xx, ...).',
      labelNames: ['status_class'] as const,
      registers,
    }),
    bytes: counter('apachescan_bytes_total', 'Response bytes of requests counted in closed intervals.'),
    invalidLines: counter('apachescan_invalid_lines_total', 'Non-empty lines that did not match the log format.'),
    lateLines: counter('apachescan_late_lines_total', 'Lines that arrived after their interval had closed (not counted in any interval).'),
    requestRate: gauge('apachescan_request_rate', 'Requests per second over the alert window, in event time, as of the latest interval.'),
    alertFiring: gauge('apachescan_alert_firing', '1 while the built-in high-traffic alert is firing, else 0.'),
    lastEventTimestamp: gauge('apachescan_last_event_timestamp_seconds', 'End of the latest closed interval (log time), seconds since the epoch.'),
    windowHits: gauge('apachescan_window_hits', 'Requests in the latest closed interval.'),
    distinctClients: gauge('apachescan_distinct_clients', 'Distinct client hosts in the latest closed interval.'),
  };
}
