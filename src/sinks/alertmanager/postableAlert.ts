import type { AlertEvent } from '../../types.js';
import { formatAlert } from '../textFormat.js';
import { formatRuleValue } from '../timeFormat.js';
import { isoTime, round2 } from '../timeFormat.js';

/** One alert as `POST /api/v2/alerts` takes it (Alertmanager's `postableAlert`). */
export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
}

/** The alert as apachescan last reported it: firing since `startsAt`, or resolved at `endsAt`. */
export interface AlertSnapshot {
  /** The transition that set this state (its numbers become the annotations). */
  readonly event: AlertEvent;
  /** When it fired (ms, event time, never after the processing time it was seen at). */
  readonly startsAt: number;
  /** When it recovered (ms); absent while firing. */
  readonly endsAt?: number;
}

export const ALERT_NAME = 'ApachescanHighTraffic';

/**
 * The Alertmanager alert for a snapshot at processing time `now` (ms). A firing alert carries
 * `endsAt = now + validFor` (as Prometheus does: it expires by itself if apachescan stops
 * re-sending it); a resolved one its recovery time. `labels` identify the alert (its
 * fingerprint): `alertname` is always set.
 */
export function toPostableAlert(
  snapshot: AlertSnapshot,
  now: number,
  labels: Readonly<Record<string, string>>,
  validFor: number,
): PostableAlert {
  const { event } = snapshot;
  const startsAt = Math.min(snapshot.startsAt, now);
  const endsAt = snapshot.endsAt === undefined ? now + validFor : Math.max(startsAt, Math.min(snapshot.endsAt, now));
  const rate = round2(event.rate);
  const relation = event.state === 'firing' ? 'above' : 'at or below';
  if (event.rule !== undefined) {
    // A rule: alertname is its name; the monitor's labels (which identify this apachescan), its own over them (severity=page).
    const value = formatRuleValue(event.kind, event.value ?? 0);
    return {
      labels: { ...labels, ...event.labels, alertname: event.rule },
      annotations: {
        summary: formatAlert(event),
        description: `${value} over the rule's window (${event.hits} requests) ${relation} the threshold of ${formatRuleValue(event.kind, event.threshold)}`,
        hits: String(event.hits),
        value: String(event.value ?? 0),
        threshold: String(event.threshold),
      },
      startsAt: isoTime(startsAt),
      endsAt: isoTime(endsAt),
    };
  }
  return {
    labels: { ...labels, alertname: ALERT_NAME },
    annotations: {
      summary: formatAlert(event),
      description: `${rate} requests/s on average (${event.hits} hits) ${relation} the threshold of ${event.threshold} requests/s`,
      hits: String(event.hits),
      rate: String(rate),
      threshold: String(event.threshold),
    },
    startsAt: isoTime(startsAt),
    endsAt: isoTime(endsAt),
  };
}
