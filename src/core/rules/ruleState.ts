/**
 * The pure state machine of one rule, the built-in alert's semantics for any measure: each
 * closed interval adds its figures to a sliding window of the last `rule.window` ms, and at
 * its end T (over the intervals with start in [T - window, T)) the rule fires when its value
 * is above the threshold and recovers when it is at or below the recover threshold. Intervals
 * missing before one (a gap) count as seen empty: the rule is evaluated at each of their
 * ends too (a rule whose window emptied recovers: no traffic, no alert). A window with fewer
 * requests than `minRequests` has no value (errors, latency): the rule does not fire, and
 * recovers. Plain data, JSON-safe: saved in checkpoints.
 */
import type { AlertEvent, RuleIntervalData, RuleValue } from '../../types.js';
import { MonitorOptionsError } from '../../errors.js';
import { createSketch, mergeSketch, quantileOf, type LatencySketch } from './latencySketch.js';
import { classesOnly, countedFilter, filterKey, type Rule, type RuleFilter } from './rule.js';

/** One closed interval as a rule sees it: its statistics, with the rule data when rules need some. */
export interface RuleInterval {
  readonly start: number;
  readonly end: number;
  readonly hits: number;
  readonly bytes: number;
  readonly status: Readonly<Record<string, number>>;
  readonly ruleData?: RuleIntervalData;
}

/** One rule's memory (`EngineState.rules`), updated in place by `ruleAlerts`; saved in checkpoints. */
export interface RuleState {
  /** The rule. */
  readonly rule: Rule;
  /** Whether it fires now. */
  firing: boolean;
  /** While firing: the transition that made it fire. */
  fired?: AlertEvent | undefined;
  /** End of the last interval seen, ms (null before the first). */
  lastEnd: number | null;
  /** Starts of the intervals in the window, oldest first. */
  readonly starts: number[];
  /** What each counts toward the value (requests, error requests, bytes). */
  readonly counts: number[];
  /** Requests of each. */
  readonly requests: number[];
  /** Latency rules: each interval's durations. */
  readonly sketches: LatencySketch[];
  /** Sum of `counts`. */
  sumCounts: number;
  /** Sum of `requests`. */
  sumRequests: number;
  /** Latency rules: the window's durations (the sum of `sketches`). */
  readonly merged: LatencySketch;
  /** The value at the last evaluation (null: none, e.g. too few requests). */
  value: number | null;
}

/** Checks a rule's numbers (names and syntax are the parser's). */
export function checkRule(rule: Rule, interval?: number): void {
  const where = `rule ${rule.name}`;
  if (!Number.isFinite(rule.window) || rule.window <= 0) throw new MonitorOptionsError(`${where}: the window must be a positive duration`);
  if (interval !== undefined && rule.window % interval !== 0) {
    throw new MonitorOptionsError(
      `${where}: its window (${rule.window / 1000} s) must be a multiple of the interval (${interval / 1000} s)`,
    );
  }
  if (!Number.isFinite(rule.threshold) || rule.threshold < 0)
    throw new MonitorOptionsError(`${where}: the threshold must be a non-negative number`);
  const recover = rule.recover ?? rule.threshold;
  if (!Number.isFinite(recover) || recover < 0 || recover > rule.threshold) {
    throw new MonitorOptionsError(`${where}: the recover threshold must be between 0 and the threshold (${rule.threshold})`);
  }
  if (rule.kind === 'latency' && !(rule.quantile !== undefined && rule.quantile > 0 && rule.quantile < 1)) {
    throw new MonitorOptionsError(`${where}: a latency rule needs a quantile between 0 and 1`);
  }
  if (rule.minRequests !== undefined && !(Number.isInteger(rule.minRequests) && rule.minRequests >= 0)) {
    throw new MonitorOptionsError(`${where}: the minimum number of requests must be a whole number`);
  }
}

export function createRuleState(rule: Rule): RuleState {
  checkRule(rule);
  return {
    rule,
    firing: false,
    lastEnd: null,
    starts: [],
    counts: [],
    requests: [],
    sketches: [],
    sumCounts: 0,
    sumRequests: 0,
    merged: createSketch(),
    value: null,
  };
}

/**
 * Adds one closed interval (intervals in order) and evaluates the rule at its end, and first
 * at the end of each empty interval missing just before it. Returns the transitions, oldest
 * first (usually none).
 */
export function evaluateRule(state: RuleState, interval: RuleInterval): AlertEvent[] {
  const length = interval.end - interval.start;
  if (length > state.rule.window) {
    throw new MonitorOptionsError(
      `rule ${state.rule.name}: an interval (${length} ms) is longer than its window (${state.rule.window} ms)`,
    );
  }
  const events: AlertEvent[] = [];
  if (state.lastEnd !== null && length > 0 && interval.start > state.lastEnd) {
    // The missing intervals, seen empty: after window / length of them nothing seen is left.
    const missing = Math.min(Math.round((interval.start - state.lastEnd) / length), state.rule.window / length + 1);
    for (let k = 1; k <= missing; k++) {
      const at = state.lastEnd + k * length;
      if (at > interval.start) break;
      slide(state, at);
      const event = decide(state, at);
      if (event !== undefined) events.push(event);
    }
  }
  add(state, interval);
  slide(state, interval.end);
  state.lastEnd = interval.end;
  const event = decide(state, interval.end);
  if (event !== undefined) events.push(event);
  return events;
}

/** The rule's figures now: for exporters and the live view. */
export function ruleValue(state: RuleState): RuleValue {
  const { rule } = state;
  return {
    rule: rule.name,
    kind: rule.kind,
    value: state.value,
    threshold: rule.threshold,
    recover: rule.recover ?? rule.threshold,
    firing: state.firing,
  };
}

/** What `add` needs of a rule, worked out once per rule (rules are plain data, never changed). */
interface CompiledRule {
  readonly filter: RuleFilter | undefined;
  readonly key: string;
  /** The statuses of a filter of whole classes only (read from the interval's classes), else undefined. */
  readonly classes: readonly string[] | undefined;
}
const compiledRules = new WeakMap<Rule, CompiledRule>();

function compiled(rule: Rule): CompiledRule {
  let c = compiledRules.get(rule);
  if (c === undefined) {
    const filter = countedFilter(rule);
    c = { filter, key: filterKey(filter), classes: filter !== undefined && classesOnly(filter) ? [...new Set(filter.status)] : undefined };
    compiledRules.set(rule, c);
  }
  return c;
}

function add(state: RuleState, interval: RuleInterval): void {
  const { rule } = state;
  let count: number;
  let requests: number;
  const { filter, key, classes } = compiled(rule);
  const filtered = filter === undefined ? undefined : filteredOf(interval, key, classes);
  if (rule.kind === 'latency') {
    const sketch = interval.ruleData?.latency ?? createSketch();
    state.sketches.push(sketch);
    mergeSketch(state.merged, sketch);
    count = sketch.count;
    requests = sketch.count;
  } else if (rule.kind === 'errors') {
    count = filtered?.hits ?? 0;
    requests = interval.hits;
  } else if (rule.kind === 'rate') {
    count = filter === undefined ? interval.hits : (filtered?.hits ?? 0);
    requests = count;
  } else {
    const all = filter === undefined;
    count = all ? interval.bytes : (filtered?.bytes ?? 0);
    requests = all ? interval.hits : (filtered?.hits ?? 0);
  }
  state.starts.push(interval.start);
  state.counts.push(count);
  state.requests.push(requests);
  state.sumCounts += count;
  state.sumRequests += requests;
}

/** Requests (and bytes, when the windows counted them) of an interval matching a filter (its key; its classes, when only classes). */
function filteredOf(
  interval: RuleInterval,
  key: string,
  classes: readonly string[] | undefined,
): { readonly hits: number; readonly bytes: number } | undefined {
  const counted = interval.ruleData?.filtered[key];
  if (counted !== undefined || classes === undefined) return counted;
  let hits = 0;
  for (const c of classes) hits += interval.status[c] ?? 0;
  return { hits, bytes: 0 };
}

/** Drops the intervals that left the window ending at `at`. */
function slide(state: RuleState, at: number): void {
  const from = at - state.rule.window;
  while (state.starts.length > 0 && (state.starts[0] as number) < from) {
    state.starts.shift();
    state.sumCounts -= state.counts.shift() as number;
    state.sumRequests -= state.requests.shift() as number;
    if (state.rule.kind === 'latency') mergeSketch(state.merged, state.sketches.shift() as LatencySketch, -1);
  }
}

/** The value of the window as it is now, or null when it has none. */
function currentValue(state: RuleState): number | null {
  const { rule } = state;
  const seconds = rule.window / 1000;
  const min = rule.minRequests ?? 1;
  switch (rule.kind) {
    case 'rate':
    case 'bytes':
      return state.sumCounts / seconds;
    case 'errors':
      return state.sumRequests === 0 || state.sumRequests < min ? null : state.sumCounts / state.sumRequests;
    case 'latency':
      return state.merged.count === 0 || state.merged.count < min ? null : quantileOf(state.merged, rule.quantile as number);
  }
}

function decide(state: RuleState, at: number): AlertEvent | undefined {
  const { rule } = state;
  const value = currentValue(state);
  state.value = value;
  const recover = rule.recover ?? rule.threshold;
  const hits = state.sumRequests;
  const rate = hits / (rule.window / 1000);
  const about = { rule: rule.name, kind: rule.kind, ...(rule.labels === undefined ? {} : { labels: rule.labels }) };
  if (!state.firing && value !== null && value > rule.threshold) {
    state.firing = true;
    state.fired = { type: 'alert', state: 'firing', at, hits, rate, threshold: rule.threshold, value, ...about };
    return state.fired;
  }
  if (state.firing && (value === null || value <= recover)) {
    state.firing = false;
    state.fired = undefined;
    return { type: 'alert', state: 'recovered', at, hits, rate, threshold: recover, value: value ?? 0, ...about };
  }
  return undefined;
}

/** A rule's state as saved in a checkpoint (JSON-safe: its rule, to tell whether it still applies). */
export type SavedRuleState = Omit<RuleState, 'fired'> & {
  /** While firing: the transition that made it fire. */
  readonly fired?: AlertEvent;
};

/** The states to save (copies). */
export function saveRuleStates(states: readonly RuleState[]): SavedRuleState[] {
  return states.map((s) => JSON.parse(JSON.stringify(s)) as SavedRuleState);
}

/**
 * Restores into fresh `states` what `saved` remembered of the same rules (same name and
 * definition); a rule that is new or was changed starts afresh.
 */
export function restoreRuleStates(states: readonly RuleState[], saved: readonly SavedRuleState[] | undefined): void {
  if (!Array.isArray(saved)) return;
  for (const state of states) {
    const old = saved.find((s) => s?.rule?.name === state.rule.name);
    if (old === undefined || JSON.stringify(old.rule) !== JSON.stringify(state.rule) || !Array.isArray(old.starts)) continue;
    state.firing = old.firing === true;
    state.fired = state.firing && old.fired?.type === 'alert' ? old.fired : undefined;
    state.lastEnd = typeof old.lastEnd === 'number' ? old.lastEnd : null;
    state.starts.push(...old.starts);
    state.counts.push(...old.counts);
    state.requests.push(...old.requests);
    state.sketches.push(...old.sketches);
    state.sumCounts = old.sumCounts;
    state.sumRequests = old.sumRequests;
    Object.assign(state.merged, { count: old.merged.count, zero: old.merged.zero });
    Object.assign(state.merged.bins, old.merged.bins);
    state.value = old.value;
  }
}
