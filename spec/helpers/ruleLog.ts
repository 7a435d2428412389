/**
 * A generated log with known crossings for the alert rules' specs, and a reference written
 * from the rules' definitions (not from the engine's code): for each interval end T, the
 * requests with time in [T - window, T), the value, and the transitions of a rule that fires
 * above its threshold and recovers at or below its recover threshold (no value: recovers).
 */
import { Random } from '../../bench/prng.js';
import type { Rule } from '../../src/core/rules/rule.js';

/** `%h %l %u %t "%r" %>s %b %D` (durations in microseconds). */
export const RULE_LOG_FORMAT = '%h %l %u %t "%r" %>s %b %D';
export const T0 = Date.UTC(2026, 0, 1);

export interface GenRequest {
  readonly time: number;
  readonly section: string;
  readonly status: number;
  readonly bytes: number;
  /** Seconds. */
  readonly duration: number;
}

/**
 * 10 s intervals from T0, by phase: normal traffic (30 req per interval, 1 in 30 a 5xx, 50-150 ms);
 * intervals 20-29 an incident (40 % 5xx, 600-900 ms, big responses); 40-44 a trickle of 3
 * requests, all 5xx (under a minimum); 45-59 busy /api with many 404s; then nothing.
 */
export function generateRequests(seed = 1): GenRequest[] {
  const random = new Random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
  const out: GenRequest[] = [];
  for (let i = 0; i < 60; i++) {
    const incident = i >= 20 && i < 30;
    const trickle = i >= 40 && i < 45;
    const api = i >= 45;
    const n = trickle ? 3 : api ? 40 : 30;
    for (let k = 0; k < n; k++) {
      const time = T0 + i * 10_000 + Math.floor(random.next() * 10_000);
      const section = api ? pick(['/api', '/api', '/api', '/home']) : pick(['/home', '/static', '/api']);
      const status = trickle
        ? 503
        : incident
          ? random.next() < 0.4
            ? 500
            : 200
          : api
            ? pick([200, 404, 404])
            : random.next() < 1 / 30
              ? 502
              : 200;
      const bytes = incident ? 200_000 + Math.floor(random.next() * 100_000) : 1000 + Math.floor(random.next() * 5000);
      const duration = incident ? 0.6 + random.next() * 0.3 : 0.05 + random.next() * 0.1;
      out.push({ time, section, status, bytes, duration });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** One line of `RULE_LOG_FORMAT`. */
export function lineOf(r: GenRequest, k = 0): string {
  const t = new Date(r.time);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${pad(t.getUTCDate())}/${months[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
  return `10.0.0.${k % 250} - - [${stamp}] "GET ${r.section}/x HTTP/1.1" ${r.status} ${r.bytes} ${Math.round(r.duration * 1e6)}`;
}

/** The value of `rule` at window end `end` from the requests themselves; null when it has none. */
export function referenceValue(rule: Rule, requests: readonly GenRequest[], end: number): number | null {
  // Times in the log have whole seconds: compare on what the log says.
  const inWindow = requests.filter((r) => Math.floor(r.time / 1000) * 1000 >= end - rule.window && Math.floor(r.time / 1000) * 1000 < end);
  const seconds = rule.window / 1000;
  const matches = (status: number, list: readonly string[]): boolean =>
    list.some((s) => (s.endsWith('xx') ? String(status)[0] === s[0] : String(status) === s));
  const where = (r: GenRequest): boolean =>
    (rule.where?.section === undefined || r.section === rule.where.section) &&
    (rule.where?.status === undefined || matches(r.status, rule.where.status));
  const min = rule.minRequests ?? 1;
  switch (rule.kind) {
    case 'rate':
      return inWindow.filter(where).length / seconds;
    case 'bytes':
      return inWindow.filter(where).reduce((sum, r) => sum + r.bytes, 0) / seconds;
    case 'errors': {
      if (inWindow.length === 0 || inWindow.length < min) return null;
      return inWindow.filter((r) => matches(r.status, rule.statuses ?? ['5xx'])).length / inWindow.length;
    }
    case 'latency': {
      if (inWindow.length === 0 || inWindow.length < min) return null;
      // Durations as the log has them (whole microseconds).
      const sorted = inWindow.map((r) => Math.round(r.duration * 1e6) / 1e6).sort((a, b) => a - b);
      return sorted[Math.floor((rule.quantile as number) * (sorted.length - 1))] as number;
    }
  }
}

/** The transitions (time, state) of `rule` evaluated at every 10 s end from T0 + 10 s to `last`. */
export function referenceTransitions(
  rule: Rule,
  requests: readonly GenRequest[],
  last: number,
): { at: number; state: 'firing' | 'recovered' }[] {
  const out: { at: number; state: 'firing' | 'recovered' }[] = [];
  const recover = rule.recover ?? rule.threshold;
  let firing = false;
  for (let end = T0 + 10_000; end <= last; end += 10_000) {
    const v = referenceValue(rule, requests, end);
    if (!firing && v !== null && v > rule.threshold) {
      firing = true;
      out.push({ at: end, state: 'firing' });
    } else if (firing && (v === null || v <= recover)) {
      firing = false;
      out.push({ at: end, state: 'recovered' });
    }
  }
  return out;
}
