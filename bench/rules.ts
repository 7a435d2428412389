/**
 * The alert rules' row of `npm run bench -- --compare`: the same `--once` with five rules (an
 * error ratio, a share of 4xx, a section's rate, a status code's rate, a bytes rate), and their
 * backtest. The bench log has no durations (%D), so no latency rule here.
 */
import type { Measurement, RssMethod } from './measure.js';
import { measure } from './measure.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const BENCH_RULES = [
  'errors: 5xx > 5% over 5m min 100',
  'client: 4xx > 20% over 2m',
  'api: rate{section=/api} > 20/s over 2m',
  'notfound: rate{status=404} > 5/s over 1m',
  'bytes: bytes > 10MB/s over 1m',
] as const;

/** `--rule R` for each bench rule. */
export function ruleArgs(): string[] {
  return BENCH_RULES.flatMap((rule) => ['--rule', rule]);
}

/** The rows: `--once` (NDJSON) with the five rules, and `--once --backtest` with them. */
export function rulesPaths(node: string, cli: string, path: string, method: RssMethod): Array<[string, () => Promise<Measurement>]> {
  // A build timed `--against` may predate the rules.
  if (!existsSync(join(dirname(cli), '..', 'dist', 'src', 'core', 'rules'))) return [];
  return [
    ['five alert rules, --once', () => measure(node, [cli, path, '--once', '--output', 'json', ...ruleArgs()], { method })],
    ['five alert rules, --once --backtest', () => measure(node, [cli, path, '--once', '--backtest', ...ruleArgs()], { method })],
  ];
}
