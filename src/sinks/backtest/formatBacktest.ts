import type { Rule } from '../../core/rules/rule.js';
import { humanDuration } from '../textFormat.js';
import { formatRuleValue } from '../timeFormat.js';
import { clockTime, isoTime, round2 } from '../timeFormat.js';
import type { BacktestAlert, BacktestResult } from './backtestReport.js';

/** The alerts of a run: the built-in traffic alert (`rate > threshold/s over window`), then the rules. */
export function backtestAlerts(
  rules: readonly Rule[],
  builtin: { readonly threshold: number; readonly alertWindow: number },
): BacktestAlert[] {
  return [
    {
      name: 'traffic',
      kind: 'rate',
      builtin: true,
      definition: `rate > ${round2(builtin.threshold)}/s over ${windowText(builtin.alertWindow)}`,
    },
    ...rules.map((r) => ({ name: r.name, kind: r.kind, definition: ruleText(r) })),
  ];
}

/** A rule in `--rule` syntax, without its name. */
export function ruleText(r: Rule): string {
  const filter =
    r.where === undefined
      ? ''
      : `{${[
          ...(r.where.section === undefined ? [] : [`section=${r.where.section}`]),
          ...(r.where.vhost === undefined ? [] : [`vhost=${r.where.vhost}`]),
          ...(r.where.status === undefined ? [] : [`status=${r.where.status.join('|')}`]),
        ].join(',')}}`;
  const measure =
    r.kind === 'errors'
      ? (r.statuses ?? ['5xx']).join('|')
      : r.kind === 'latency'
        ? `p${round2((r.quantile ?? 0) * 100)}`
        : `${r.kind}${filter}`;
  const value = (v: number): string => (r.kind === 'bytes' ? decimalBytes(v) : formatRuleValue(r.kind, v).replace(' ', ''));
  const min = r.minRequests === undefined ? '' : ` min ${r.minRequests}`;
  const recover = r.recover === undefined || r.recover === r.threshold ? '' : ` recover ${value(r.recover)}`;
  return `${measure} > ${value(r.threshold)} over ${windowText(r.window)}${min}${recover}`;
}

function windowText(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${round2(ms / 1000)}s`;
}

/**
 * ```
 * Backtest of 2026-10-10 13:50:00 – 2026-10-10 15:23:20 UTC (560 intervals)
 * traffic  rate > 10/s over 2m (built-in): fired 2 times, firing 12 min 30 s in all, longest 10 min
 *   2026-10-10 13:50:10 – 13:52:40 UTC  2 min 30 s  peak 12.5/s
 * errors  5xx > 5% over 5m min 100: never fired
 * ```
 */
export function formatBacktestText(result: BacktestResult): string {
  const at = (ms: number): string => `${isoTime(ms).slice(0, 10)} ${clockTime(ms)}`;
  const lines: string[] = [];
  lines.push(
    result.start === undefined || result.end === undefined
      ? 'Backtest: no interval in the log'
      : `Backtest of ${at(result.start)} – ${at(result.end)} UTC (${result.intervals} intervals)`,
  );
  for (const a of result.alerts) {
    const head = `${a.name}  ${a.definition}${a.builtin === true ? ' (built-in)' : ''}`;
    if (a.fired === 0) {
      lines.push(`${head}: never fired`);
      continue;
    }
    lines.push(
      `${head}: fired ${a.fired === 1 ? 'once' : `${a.fired} times`}, firing ${humanDuration(a.firingSeconds * 1000)} in all, longest ${humanDuration(a.longestSeconds * 1000)}`,
    );
    for (const p of a.periods) {
      const sameDay = isoTime(p.from).slice(0, 10) === isoTime(p.to).slice(0, 10);
      const to = sameDay ? clockTime(p.to) : at(p.to);
      lines.push(
        `  ${at(p.from)} – ${to} UTC  ${humanDuration(p.seconds * 1000)}  peak ${formatRuleValue(a.kind, p.peak)}${p.open ? '  (still firing at the end)' : ''}`,
      );
    }
  }
  return lines.join('\n');
}

/** The backtest as one JSON object (times ISO 8601, durations in seconds). */
export function formatBacktestJson(result: BacktestResult): string {
  return JSON.stringify({
    type: 'backtest',
    start: result.start === undefined ? null : isoTime(result.start),
    end: result.end === undefined ? null : isoTime(result.end),
    intervals: result.intervals,
    alerts: result.alerts.map((a) => ({
      name: a.name,
      ...(a.builtin === true ? { builtin: true } : {}),
      kind: a.kind,
      definition: a.definition,
      fired: a.fired,
      firingSeconds: a.firingSeconds,
      longestSeconds: a.longestSeconds,
      periods: a.periods.map((p) => ({
        from: isoTime(p.from),
        to: isoTime(p.to),
        seconds: p.seconds,
        peak: p.peak,
        ...(p.open ? { open: true } : {}),
      })),
    })),
  });
}

/** `10MB/s`, `512kB/s`, `1500B/s`: the largest decimal unit that divides it (as `--rule` reads it). */
function decimalBytes(v: number): string {
  for (const [unit, size] of [
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ] as const)
    if (v >= size && Number.isInteger(v / size)) return `${v / size}${unit}/s`;
  return `${round2(v)}B/s`;
}
