import { createAlertWindowRate } from '../alertWindowRate.js';
import type { MonitorEvent, StatsEvent, SummaryEvent } from '../../types.js';
import { STATUS_CLASSES, type ExporterMetrics } from './metrics.js';
import { createSectionLabels, foldSections, OTHER_SECTION, type SectionLabels } from '../../core/sectionLabels.js';

/** How events become metric values: which sections get labels, the alert window and threshold. */
export interface RecorderOptions {
  /** Sections of each stats event that may get a label of their own. Default: all listed. */
  readonly top?: number;
  /** Distinct section labels over the process lifetime (besides `other`). Default 50. */
  readonly maxSections?: number;
  /** Window of `apachescan_alert_window_requests_per_second`, ms. Default 120 000 (the engine's alert window). */
  readonly alertWindow?: number;
  /** The engine's alert threshold, req/s, served as `apachescan_alert_threshold_requests_per_second`. Default 10. */
  readonly threshold?: number;
}

interface RecorderState {
  readonly labels: SectionLabels;
  readonly top: number;
  readonly rateOf: (event: StatsEvent) => number;
  /** Invalid and late lines counted from stats events since the last summary (one run). */
  invalid: number;
  late: number;
}

/**
 * Returns the function that applies one monitor event to the metrics. Counters only grow;
 * a summary tops up the invalid/late counters with lines seen after the last interval.
 */
export function createRecorder(metrics: ExporterMetrics, options: RecorderOptions = {}): (event: MonitorEvent) => void {
  const { top = Number.POSITIVE_INFINITY, maxSections = 50, alertWindow = 120_000, threshold = 10 } = options;
  if (!(top >= 0) || (Number.isFinite(top) && !Number.isInteger(top)))
    throw new RangeError(`top must be a non-negative integer, got ${top}`);
  const state: RecorderState = {
    labels: createSectionLabels(maxSections),
    top,
    rateOf: createAlertWindowRate(alertWindow),
    invalid: 0,
    late: 0,
  };
  metrics.hits.inc({ section: OTHER_SECTION }, 0);
  for (const status_class of STATUS_CLASSES) metrics.responses.inc({ status_class }, 0);
  metrics.alertFiring.set(0);
  metrics.alertThreshold.set(threshold);
  return (event) => {
    if (event.type === 'stats') recordStats(metrics, state, event);
    else if (event.type === 'alert' && event.rule !== undefined)
      metrics.ruleFiring.set({ rule: event.rule }, event.state === 'firing' ? 1 : 0);
    else if (event.type === 'alert') metrics.alertFiring.set(event.state === 'firing' ? 1 : 0);
    else recordSummary(metrics, state, event);
  };
}

function recordStats(metrics: ExporterMetrics, state: RecorderState, event: StatsEvent): void {
  for (const [section, hits] of foldSections(state.labels, event.sections, count(event.hits), state.top)) {
    metrics.hits.inc({ section }, count(hits));
  }
  for (const [status_class, hits] of Object.entries(event.status)) metrics.responses.inc({ status_class }, count(hits));
  metrics.bytes.inc(count(event.bytes));
  metrics.invalidLines.inc(count(event.invalid));
  metrics.lateLines.inc(count(event.late));
  state.invalid += count(event.invalid);
  state.late += count(event.late);
  metrics.requestRate.set(state.rateOf(event));
  metrics.lastIntervalEnd.set(event.end / 1000);
  metrics.lastIntervalHits.set(count(event.hits));
  metrics.lastIntervalClients.set(count(event.hosts));
  for (const rule of event.rules ?? []) {
    const labels = { rule: rule.rule, kind: rule.kind };
    // No value (too few requests): no series, as Prometheus has it for "no data".
    if (rule.value === null) metrics.ruleValue.remove(labels);
    else metrics.ruleValue.set(labels, rule.value);
    metrics.ruleThreshold.set(labels, rule.threshold);
    metrics.ruleFiring.set({ rule: rule.rule }, rule.firing ? 1 : 0);
  }
}

function recordSummary(metrics: ExporterMetrics, state: RecorderState, event: SummaryEvent): void {
  metrics.invalidLines.inc(Math.max(0, count(event.invalid) - state.invalid));
  metrics.lateLines.inc(Math.max(0, count(event.late) - state.late));
  state.invalid = 0;
  state.late = 0;
}

/** A usable non-negative count (NaN, infinities and negatives count as 0). */
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}
