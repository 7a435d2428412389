/**
 * `--rule 'NAME: MEASURE > VALUE over WINDOW ...'` (repeatable) and a config file's `rules`
 * list (strings of the same syntax, or rules as objects: `rules.schema.json`), and
 * `--backtest`: checked against the format and the interval, each mistake one line (exit 2).
 */
import type { Argv } from 'yargs';
import { ruleOf } from '../core/rules/parseRule.js';
import type { Rule } from '../core/rules/rule.js';
import { checkRule } from '../core/rules/ruleState.js';
import { formatHasDuration } from '../parse/formats.js';
import { UsageError } from './usageError.js';

export function addRuleOptions<T>(y: Argv<T>) {
  return (
    y
      .option('rule', {
        type: 'string',
        requiresArg: true,
        describe:
          "alert rule besides the traffic alert, repeatable: 'errors: 5xx > 5% over 5m min 100', 'slow: p95 > 500ms over 5m', 'api: rate{section=/api} > 50/s over 2m'",
      })
      // The config file's list (strings like --rule's, or objects).
      .option('rules', { describe: 'in a --config file: a list of rules (strings as for --rule, or objects: rules.schema.json)' })
      .option('backtest', {
        alias: 'rules-report',
        type: 'boolean',
        default: false,
        describe: 'with --once: print, per rule (and the traffic alert), when it fired, for how long and how high',
      })
      .group(['rule', 'rules', 'backtest'], 'Alerts:')
  );
}

/**
 * The rules the arguments give: the config file's `rules`, then `--rule` (a rule of the same
 * name replaces the config file's: the command line wins).
 * @throws UsageError for a rule that does not parse, needs a field the format lacks, or whose
 *   window is not a multiple of the interval.
 */
export function rulesOf(args: Record<string, unknown>, format: string, interval: number): Rule[] {
  const given = (value: unknown): unknown[] => [value].flat().filter((v) => v !== undefined && v !== '');
  let rules: Rule[];
  try {
    const configured = given(args['rules']).map(ruleOf);
    const named = given(args['rule']).map((v) => ruleOf(String(v)));
    rules = [...configured.filter((r) => !named.some((n) => n.name === r.name)), ...named];
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new UsageError(`two rules are named ${rule.name}`);
    names.add(rule.name);
    if (rule.kind === 'latency' && !hasDuration(format)) {
      throw new UsageError(
        `rule ${rule.name}: p${Math.round((rule.quantile ?? 0) * 100)} needs request durations, but the log format has no %D or %T (give --format)`,
      );
    }
    if (rule.where?.vhost !== undefined && !hasVhost(format)) {
      throw new UsageError(`rule ${rule.name}: {vhost=...} needs the vhost_combined format (%v:%p first), not ${format}`);
    }
    try {
      checkRule(rule, interval);
    } catch (err) {
      throw new UsageError(`${(err as Error).message.replace('the interval', '--interval')}`, { cause: err });
    }
  }
  return rules;
}

function hasDuration(format: string): boolean {
  try {
    return formatHasDuration(format);
  } catch {
    return true; // a bad format is reported where it is compiled
  }
}

function hasVhost(format: string): boolean {
  return format === 'auto' || format === 'vhost_combined' || format.startsWith('%v:%p ');
}
