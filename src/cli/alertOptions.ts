import type { Argv } from 'yargs';
import { nonNegativeNumber, positiveNumber } from './numbers.js';
import type { AlertSinksConfig } from './alertSinks.js';

/** The options of the alert sinks (`--on-alert`, `--alertmanager`), as one group. */
export function addAlertOptions<T>(y: Argv<T>) {
  return (
    y
      .option('on-alert', {
        type: 'string',
        requiresArg: true,
        describe: 'run CMD (with /bin/sh) for each alert transition, the event as JSON on stdin',
      })
      // Numbers as in createCli: parsed as text (coerce sees what was typed), shown as [number].
      .option('on-alert-timeout', {
        type: 'string',
        requiresArg: true,
        default: 10,
        coerce: positiveNumber('on-alert-timeout'),
        describe: 'seconds an --on-alert command may run before it is killed',
      })
      .option('alertmanager', {
        type: 'string',
        requiresArg: true,
        describe:
          'push alerts to Prometheus Alertmanager at URL (API v2), e.g. http://127.0.0.1:9093; repeat (or separate with spaces) for several',
      })
      .option('alertmanager-resend', {
        type: 'string',
        requiresArg: true,
        default: 60,
        coerce: positiveNumber('alertmanager-resend'),
        describe: 'seconds between re-sends of a firing alert to Alertmanager',
      })
      .option('alert-max-age', {
        type: 'string',
        requiresArg: true,
        default: 600,
        coerce: nonNegativeNumber('alert-max-age'),
        describe:
          "seconds: older alert transitions (a catch-up on the log's past, a replay) are not sent to --on-alert or Alertmanager, only an alert still firing at the end; 0 = send all",
      })
      .number(['on-alert-timeout', 'alertmanager-resend', 'alert-max-age'])
      .group(['on-alert', 'on-alert-timeout', 'alertmanager', 'alertmanager-resend', 'alert-max-age'], 'Alerts:')
  );
}

/** The alert sinks the parsed arguments ask for (nothing when neither option is given). */
export function alertSinksOf(args: Record<string, unknown>): AlertSinksConfig {
  const command = lastString(args['on-alert']);
  // Repeated, a list in the config file, or one value with several (APACHESCAN_ALERTMANAGER="http://a:9093 http://b:9093").
  const urls = [args['alertmanager']]
    .flat()
    .flatMap((u) => (typeof u === 'string' ? u.split(/[\s,]+/) : []))
    .filter((u) => u !== '');
  const age = args['alert-max-age'];
  // 0: no limit (every transition is sent, as the text and NDJSON outputs print them).
  const maxAlertAge = typeof age === 'number' && age > 0 ? age * 1000 : typeof age === 'number' ? Infinity : undefined;
  return {
    ...(command === undefined ? {} : { onAlert: { command, timeout: (args['on-alert-timeout'] as number) * 1000 } }),
    ...(urls.length === 0 ? {} : { alertmanager: { urls, resendInterval: (args['alertmanager-resend'] as number) * 1000 } }),
    ...(maxAlertAge === undefined ? {} : { maxAlertAge }),
  };
}

function lastString(value: unknown): string | undefined {
  const last = Array.isArray(value) ? (value as unknown[]).at(-1) : value;
  return typeof last === 'string' ? last : undefined;
}
