import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { packageVersion } from '../packageVersion.js';

/**
 * The exporter's metrics, all in one registry: a private one (never prom-client's global
 * one), or the app's own when given.
 * Names follow the Prometheus conventions: base units in the name (`_bytes`, `_seconds`,
 * `_requests_per_second`), `_total` on counters, `_info` for the build.
 */
export interface ExporterMetrics {
  /** The registry they are in (what `/metrics` serves). */
  readonly registry: Registry;
  /** `apachescan_hits_total{section}`: counted requests per section. */
  readonly hits: Counter<'section'>;
  /** `apachescan_responses_total{status_class}`: counted requests per status class. */
  readonly responses: Counter<'status_class'>;
  /** `apachescan_response_bytes_total`. */
  readonly bytes: Counter;
  /** `apachescan_invalid_lines_total`. */
  readonly invalidLines: Counter;
  /** `apachescan_late_lines_total`. */
  readonly lateLines: Counter;
  /** Requests per second over the alert window, in event time. */
  readonly requestRate: Gauge;
  /** The alert's threshold, requests per second. */
  readonly alertThreshold: Gauge;
  /** 1 while the alert fires, else 0. */
  readonly alertFiring: Gauge;
  /** End of the latest closed interval (log time). */
  readonly lastIntervalEnd: Gauge;
  /** Requests in the latest closed interval. */
  readonly lastIntervalHits: Gauge;
  /** Distinct clients in the latest closed interval. */
  readonly lastIntervalClients: Gauge;
  /** `apachescan_rule_value{rule,kind}`: each alert rule's value over its window (no series while it has none). */
  readonly ruleValue: Gauge<'rule' | 'kind'>;
  /** `apachescan_rule_threshold{rule,kind}`: each rule's fire threshold, in its unit. */
  readonly ruleThreshold: Gauge<'rule' | 'kind'>;
  /** `apachescan_rule_firing{rule}`: 1 while the rule fires, else 0. */
  readonly ruleFiring: Gauge<'rule'>;
}

/** Where `createExporterMetrics` registers, and what besides apachescan's own metrics. */
export interface ExporterMetricsOptions {
  /**
   * Also register prom-client's process and Node.js metrics (`process_*`, `nodejs_*`). Default
   * true; skipped when `registry` already holds them (an app that called `collectDefaultMetrics`
   * on it: registering them twice would throw "process_cpu_user_seconds_total has already been
   * registered").
   */
  readonly processMetrics?: boolean;
  /** Register in this registry (an app's own) instead of a fresh private one. */
  readonly registry?: Registry;
}

/** The first metric prom-client's `collectDefaultMetrics` registers (without a prefix). */
const DEFAULT_METRICS_MARK = 'process_cpu_user_seconds_total';

/** Whether `registry` already holds prom-client's default process metrics. */
export function hasDefaultMetrics(registry: Registry): boolean {
  return registry.getSingleMetric(DEFAULT_METRICS_MARK) !== undefined;
}

/** Status classes exported at 0 from the start, so `rate()` sees their first increase. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * Registers every apachescan metric, in a fresh registry or in `options.registry`. In an app's
 * registry, a metric name already there throws prom-client's "has already been registered"
 * (an exporter started twice on one registry); the process metrics are skipped when present.
 */
export function createExporterMetrics(options: ExporterMetricsOptions = {}): ExporterMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
  if ((options.processMetrics ?? true) && !hasDefaultMetrics(registry)) {
    const before = new Set(registry.getMetricsAsArray().map((metric) => metric.name));
    collectDefaultMetrics({ register: registry });
    // prom-client's `nodejs_active_{handles,requests,resources}_total` are gauges with a
    // counter's suffix, which `promtool check metrics` rejects; their per-type gauges
    // (`nodejs_active_handles` ...) stay, and sum to the same. Only those just registered:
    // an app's own metrics are left alone.
    for (const metric of registry.getMetricsAsArray()) {
      if (before.has(metric.name)) continue;
      if ((metric as unknown) instanceof Gauge && metric.name.endsWith('_total')) registry.removeSingleMetric(metric.name);
    }
  }
  new Gauge({
    name: 'apachescan_build_info',
    help: 'Always 1; the labels say which apachescan and Node.js versions serve these metrics.',
    labelNames: ['version', 'nodejs_version'] as const,
    registers,
  }).set({ version: packageVersion(), nodejs_version: process.version }, 1);
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
    bytes: counter('apachescan_response_bytes_total', 'Response bytes of requests counted in closed intervals.'),
    invalidLines: counter('apachescan_invalid_lines_total', 'Non-empty lines that did not match the log format.'),
    lateLines: counter('apachescan_late_lines_total', 'Lines that arrived after their interval had closed (not counted in any interval).'),
    requestRate: gauge(
      'apachescan_alert_window_requests_per_second',
      'Requests per second averaged over the alert window, in log time, as of the latest closed interval (what the built-in alert compares with its threshold).',
    ),
    alertThreshold: gauge(
      'apachescan_alert_threshold_requests_per_second',
      'The built-in alert fires when the alert-window rate exceeds this many requests per second.',
    ),
    alertFiring: gauge('apachescan_alert_firing', '1 while the built-in high-traffic alert is firing, else 0.'),
    lastIntervalEnd: gauge(
      'apachescan_last_interval_end_timestamp_seconds',
      'End of the latest closed interval, in log time, seconds since the epoch.',
    ),
    lastIntervalHits: gauge('apachescan_last_interval_hits', 'Requests in the latest closed interval.'),
    lastIntervalClients: gauge('apachescan_last_interval_distinct_clients', 'Distinct client hosts in the latest closed interval.'),
    ruleValue: new Gauge({
      name: 'apachescan_rule_value',
      help: "Each alert rule's value over its window as of the latest closed interval, in log time: requests/s (rate), a share 0..1 (errors), seconds (latency), bytes/s (bytes); absent while it has none (too few requests).",
      labelNames: ['rule', 'kind'] as const,
      registers,
    }),
    ruleThreshold: new Gauge({
      name: 'apachescan_rule_threshold',
      help: 'Each alert rule fires when its value exceeds this (in the unit of its value).',
      labelNames: ['rule', 'kind'] as const,
      registers,
    }),
    ruleFiring: new Gauge({
      name: 'apachescan_rule_firing',
      help: '1 while the alert rule is firing, else 0.',
      labelNames: ['rule'] as const,
      registers,
    }),
  };
}
