import { formatRuleValue } from '../../timeFormat.js';
import type { AlertJson, PageMeta, RuleKindJson, StatsJson } from './eventJson.js';

/**
 * The web page's wording of alert rules (pure: no DOM), the text output's (`formatAlert`)
 * with the page's units. Names are passed in already made visible by the caller.
 */

/** A rule's value in its unit, as the text output writes it, a request rate in `req/s`: `12.5 req/s`, `6.2%`, `480 ms`, `1.5 MiB/s`. */
export function ruleValueText(kind: RuleKindJson | undefined, value: number): string {
  return formatRuleValue(kind, value, ' req/s');
}

/** A firing rule's banner line: `Rule errors fired - 13.46% > 5% (104 requests), triggered at TIME`. */
export function ruleFiringText(alert: AlertJson, name: string, time: string): string {
  const value = ruleValueText(alert.kind, alert.value ?? 0);
  const requests = `${alert.hits} ${alert.hits === 1 ? 'request' : 'requests'}`;
  return `Rule ${name} fired - ${value} > ${ruleValueText(alert.kind, alert.threshold)} (${requests}), triggered at ${time}`;
}

/** The value and threshold cells of an alert transition: a rule's in its unit, the built-in alert's rate in req/s. */
export function alertValueCells(alert: AlertJson): [string, string] {
  if (alert.rule === undefined) return [ruleValueText('rate', alert.rate), ruleValueText('rate', alert.threshold)];
  return [ruleValueText(alert.kind, alert.value ?? 0), ruleValueText(alert.kind, alert.threshold)];
}

/** One row of the Rules panel. */
export interface RuleRow {
  /** The rule's name, as given. */
  readonly rule: string;
  /** Its kind, '' when unknown (neither the meta nor an alert of it says). */
  readonly kind: string;
  /** Its value now, in its unit; `-` without one. */
  readonly value: string;
  /** `> 5%`, `> 5%, recovers <= 4%`; '' when unknown. */
  readonly threshold: string;
  /** `firing`, `ok`, or `no value` (fewer requests than its minimum). */
  readonly state: 'firing' | 'ok' | 'no value';
}

/**
 * The Rules panel of the newest stats event: each rule's value and state from it, its kind
 * and thresholds from the page's meta (or, failing that, its newest alert transition).
 */
export function ruleRows(last: StatsJson | undefined, meta: PageMeta | undefined, alerts: readonly AlertJson[]): RuleRow[] {
  if (last?.rules === undefined) return [];
  return last.rules.map((r) => {
    const known = meta?.rules?.find((m) => m.rule === r.rule);
    const alert = known === undefined ? [...alerts].reverse().find((a) => a.rule === r.rule) : undefined;
    const kind = known?.kind ?? alert?.kind;
    let threshold = '';
    if (known !== undefined) {
      threshold = `> ${ruleValueText(kind, known.threshold)}`;
      if (known.recover !== known.threshold) threshold += `, recovers <= ${ruleValueText(kind, known.recover)}`;
    } else if (alert !== undefined) threshold = `${alert.state === 'firing' ? '>' : '<='} ${ruleValueText(kind, alert.threshold)}`;
    return {
      rule: r.rule,
      kind: kind ?? '',
      value: r.value === null ? '-' : kind === undefined ? String(r.value) : ruleValueText(kind, r.value),
      threshold,
      state: r.firing ? 'firing' : r.value === null ? 'no value' : 'ok',
    };
  });
}
