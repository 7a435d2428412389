/**
 * Alert rules as plain data (what `--rule` and a config file's `rules` become): a name, what
 * is measured over a sliding window of intervals, and the thresholds. Every rule is evaluated
 * at the end of each interval in event time, with the built-in traffic alert's semantics.
 */

/** What a rule measures. */
export type RuleKind = 'rate' | 'errors' | 'latency' | 'bytes';

/** Which requests a rule counts: all of its conditions hold (absent ones hold for every request). */
export interface RuleFilter {
  /** First path segment, e.g. `/api`. */
  readonly section?: string;
  /** Virtual host (`%v` of vhost_combined, without the port). */
  readonly vhost?: string;
  /** Status classes (`5xx`) and codes (`503`): the request's status is one of them. */
  readonly status?: readonly string[];
}

/** One alert rule. Durations in ms; thresholds in the unit of the rule's kind. */
export interface Rule {
  /** Its name: `alertname` in Alertmanager, the `rule` of its alert events. Letters, digits, `_`, `-`, `.`. */
  readonly name: string;
  /**
   * - `rate`: requests per second (of those matching `where`);
   * - `errors`: share of requests (0..1) whose status is in `statuses`;
   * - `latency`: the `quantile` of request durations, seconds (needs `%D` or `%T` in the format);
   * - `bytes`: response bytes per second.
   */
  readonly kind: RuleKind;
  /** Averaging window, ms: a multiple of the interval. */
  readonly window: number;
  /** Fires when the value is above this. */
  readonly threshold: number;
  /** Recovers when the value is at or below this. Default: `threshold`. */
  readonly recover?: number;
  /** `rate`, `bytes`: only requests matching this. */
  readonly where?: RuleFilter;
  /** `errors`: the statuses counted as errors (classes like `5xx`, codes like `503`). */
  readonly statuses?: readonly string[];
  /** `errors`, `latency`: fewer requests than this in the window: the rule does not fire (and recovers). Default 1. */
  readonly minRequests?: number;
  /** `latency`: 0.5, 0.9, 0.95 or 0.99. */
  readonly quantile?: number;
  /** Extra labels for Alertmanager. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The canonical key of a filter (`section=/api,status=5xx|503,vhost=shop`), "" for none. */
export function filterKey(filter: RuleFilter | undefined): string {
  if (filter === undefined) return '';
  const parts: string[] = [];
  if (filter.section !== undefined) parts.push(`section=${filter.section}`);
  if (filter.status !== undefined && filter.status.length > 0) parts.push(`status=${[...filter.status].sort().join('|')}`);
  if (filter.vhost !== undefined) parts.push(`vhost=${filter.vhost}`);
  return parts.join(',');
}

/** The filter a rule counts with (its numerator): `where` for rate and bytes, `statuses` for errors. */
export function countedFilter(rule: Rule): RuleFilter | undefined {
  if (rule.kind === 'errors') return { status: rule.statuses ?? ['5xx'] };
  if (rule.kind === 'latency') return undefined;
  return rule.where === undefined || filterKey(rule.where) === '' ? undefined : rule.where;
}

/** What the windows must collect per interval for a set of rules (nothing for none). */
export interface RuleNeeds {
  /** Filters counted per interval (request count and bytes), by key. */
  readonly filters: ReadonlyMap<string, RuleFilter>;
  /** Whether a latency rule needs each interval's duration sketch. */
  readonly latency: boolean;
  /** Whether some filter needs the vhost of each line. */
  readonly vhost: boolean;
}

/** The per-interval figures `rules` need, or undefined when the engine's plain statistics do (no extra cost). */
export function needsOf(rules: readonly Rule[]): RuleNeeds | undefined {
  const filters = new Map<string, RuleFilter>();
  let latency = false;
  for (const rule of rules) {
    if (rule.kind === 'latency') latency = true;
    const filter = countedFilter(rule);
    if (filter !== undefined && (rule.kind === 'bytes' || !classesOnly(filter))) filters.set(filterKey(filter), filter);
  }
  if (filters.size === 0 && !latency) return undefined;
  let vhost = false;
  for (const f of filters.values()) if (f.vhost !== undefined) vhost = true;
  return { filters, latency, vhost };
}

/** Whether a filter is only whole status classes (`5xx`): the plain statistics count those. */
export function classesOnly(filter: RuleFilter): boolean {
  return filter.section === undefined && filter.vhost === undefined && filter.status?.every((s) => /^[1-9]xx$/.test(s)) === true;
}
