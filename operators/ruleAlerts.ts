import { Observable, type OperatorFunction } from 'rxjs';
import type { AlertEvent, StatsEvent } from '../src/types.js';
import { createRuleState, evaluateRule, ruleValue, type RuleState } from '../src/core/rules/ruleState.js';
import type { Rule } from '../src/core/rules/rule.js';

/** Options of `ruleAlerts`. */
export interface RuleAlertsOptions {
  /**
   * The rules' states kept outside the operator (`EngineState.rules`), which it then updates in
   * place: the file engine passes them, restored from a checkpoint. Subscribe such a pipeline once
   * at a time. Without it, each subscription gets fresh states.
   */
  readonly states?: readonly RuleState[];
}

/**
 * Evaluates alert rules at the end of each interval, in event time, with the built-in traffic
 * alert's semantics (see `Rule`): each interval passes on with each rule's value and state
 * (`rules`), preceded by the transitions in the gap before it (empty intervals missing from
 * the input count as seen empty) and followed by the transitions at its end, in rule order.
 * Other values (the built-in alert's events) pass through. Rules on whole status classes,
 * or on all requests, read the plain statistics; rules that filter by section, vhost or status
 * code, and latency rules, read the intervals' `ruleData`: give `eventTimeWindows` the same
 * rules (its `rules` option; `monitor` does it with `MonitorOptions.rules`).
 *
 * ```
 * rule r: rate > 1/s over 20 s; 10 s intervals a=[0,10) 5 hits, b=[10,20) 30, c, d empty
 * source:  --a--b------c--d------|
 * output:  --a--(bF)---c--(dR)---|
 *          F (rule r): 35 hits / 20 s = 1.75 > 1 at 20 s; R at 40 s: 0 / 20 s
 * ```
 *
 * @example
 * ```ts
 * import { monitor, readLogFile } from 'apachescan';
 * import { parseRule } from 'apachescan';
 * const rules = [parseRule('errors: 5xx > 5% over 5m min 100')];
 * monitor(readLogFile('access.log'), { rules }).subscribe((e) => { if (e.type === 'alert') console.log(e.rule, e.state); });
 * ```
 * @param rules The rules, plain data (names must differ).
 * @returns An operator emitting every input value; after each interval, the rules' transitions.
 */
export function ruleAlerts<
  T extends {
    /** What the value is (`stats` values are evaluated, others passed through). */
    readonly type: string;
  },
>(rules: readonly Rule[], options: RuleAlertsOptions = {}): OperatorFunction<T | StatsEvent, T | StatsEvent | AlertEvent> {
  rules.forEach(createRuleState); // checks each now, while the pipe is built
  return (source) =>
    new Observable<T | StatsEvent | AlertEvent>((subscriber) => {
      const states = options.states ?? rules.map(createRuleState);
      return source.subscribe({
        next: (value) => {
          if (value.type !== 'stats' || states.length === 0) {
            subscriber.next(value);
            return;
          }
          const stats = value as StatsEvent;
          const before: AlertEvent[] = [];
          const after: AlertEvent[] = [];
          for (const state of states) {
            // A transition at the interval's end comes after it, those in the gap before it.
            for (const event of evaluateRule(state, stats)) (event.at === stats.end ? after : before).push(event);
          }
          if (before.length > 1) before.sort((x, y) => x.at - y.at); // stable: rule order at one time
          for (const event of before) subscriber.next(event);
          subscriber.next({ ...stats, rules: states.map(ruleValue) });
          for (const event of after) subscriber.next(event);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}
