import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { CliIo } from './io.js';
import type { Sink, SinkReport } from '../sinks/sink.js';

export interface AlertSinksConfig {
  /** `--on-alert CMD` and its timeout (ms). */
  readonly onAlert?: { readonly command: string; readonly timeout: number };
  /** `--alertmanager URL...` and the re-send interval (ms). */
  readonly alertmanager?: { readonly urls: readonly string[]; readonly resendInterval: number };
  /** `--alert-max-age` (ms; `Infinity` for 0): older transitions are not sent to either. */
  readonly maxAlertAge?: number;
}

/**
 * The sinks that carry alerts to people: a command per transition, Alertmanager. Each
 * reports its counts on stderr when it closes, and in `registry` (the Prometheus exporter's)
 * when there is one. `log` names the monitored input (a label).
 */
export async function openAlertSinks(config: AlertSinksConfig, log: string, io: CliIo, registry?: Registry): Promise<Sink[]> {
  const say = (message: string): void => void io.stderr.write(`apachescan: ${message}\n`);
  const sinks: Sink[] = [];
  const age = config.maxAlertAge === undefined ? {} : { maxAlertAge: config.maxAlertAge };
  const metrics: Parameters<typeof import('../sinks/alertMetrics.js').registerAlertMetrics>[1] = {};
  if (config.onAlert !== undefined) {
    const { createAlertCommand } = await import('../sinks/command/index.js');
    const runner = createAlertCommand({ ...config.onAlert, ...age, onWarning: say });
    metrics.commands = () => runner.stats();
    sinks.push(
      sayingAtClose(runner, () => {
        const s = runner.stats();
        say(`on-alert: ${s.run} command(s) run, ${s.failed} failed, ${s.timedOut} timed out, ${s.dropped} dropped`);
      }),
    );
  }
  if (config.alertmanager !== undefined) {
    const { createAlertmanagerPusher } = await import('../sinks/alertmanager/index.js');
    const pusher = createAlertmanagerPusher({
      ...config.alertmanager,
      ...age,
      labels: { job: 'apachescan', instance: hostname() || 'unknown', severity: 'warning', log },
      onWarning: say,
    });
    say(`pushing alerts to ${pusher.endpoints.join(', ')}`);
    metrics.alertmanager = () => pusher.stats();
    sinks.push(
      sayingAtClose(pusher, () => {
        const s = pusher.stats();
        if (s.failed + s.rejected > 0)
          say(`alertmanager: ${s.sent} push(es) accepted, ${s.failed} failed and retried, ${s.rejected} refused`);
      }),
    );
  }
  if (registry !== undefined && sinks.length > 0) {
    const { registerAlertMetrics } = await import('../sinks/alertMetrics.js');
    registerAlertMetrics(registry, metrics);
  }
  return sinks;
}

/** `sink`, with `counts` called once it has closed (its counts line on stderr). */
function sayingAtClose(sink: Sink, counts: () => void): Sink {
  return {
    next: (event) => sink.next(event),
    ...(sink.resumeFiring === undefined ? {} : { resumeFiring: sink.resumeFiring.bind(sink) }),
    close: async (): Promise<SinkReport> => {
      const report = await sink.close();
      counts();
      return report;
    },
  };
}
