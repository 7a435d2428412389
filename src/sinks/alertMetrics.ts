import { Counter, type Registry } from 'prom-client';
import type { AlertCommandStats } from './command/index.js';
import type { AlertmanagerStats } from './alertmanager/index.js';

/**
 * Counts of the alert sinks as Prometheus counters, read from their `stats()` at each scrape:
 * `apachescan_alert_commands_total{outcome="succeeded|failed|timed_out|dropped"}` and
 * `apachescan_alertmanager_pushes_total{url,outcome="sent|failed|rejected"}` (one series per receiver).
 */
export function registerAlertMetrics(
  registry: Registry,
  sources: { commands?: () => AlertCommandStats; alertmanager?: () => AlertmanagerStats },
): void {
  const { commands, alertmanager } = sources;
  if (commands !== undefined) {
    new Counter({
      name: 'apachescan_alert_commands_total',
      help: 'Runs of the --on-alert command by outcome; dropped: alert transitions that never ran (queue full or exit).',
      labelNames: ['outcome'] as const,
      registers: [registry],
      collect() {
        const s = commands();
        this.reset();
        this.inc({ outcome: 'succeeded' }, s.succeeded);
        this.inc({ outcome: 'failed' }, s.failed);
        this.inc({ outcome: 'timed_out' }, s.timedOut);
        this.inc({ outcome: 'dropped' }, s.dropped);
      },
    });
  }
  if (alertmanager !== undefined) {
    new Counter({
      name: 'apachescan_alertmanager_pushes_total',
      help: 'Pushes to Alertmanager by receiver (url: its API endpoint) and outcome; failed pushes are retried, rejected ones (4xx) are not.',
      labelNames: ['url', 'outcome'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of alertmanager().byUrl) {
          this.inc({ url: s.url, outcome: 'sent' }, s.sent);
          this.inc({ url: s.url, outcome: 'failed' }, s.failed);
          this.inc({ url: s.url, outcome: 'rejected' }, s.rejected);
        }
      },
    });
  }
}
