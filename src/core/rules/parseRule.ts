/**
 * The `--rule` syntax, a pure parser (the grammar is in the README, "Alert rules"):
 *
 * ```
 * NAME: MEASURE > VALUE over WINDOW [min N] [recover [<=] VALUE] [labels K=V[,K=V...]]
 *   MEASURE: rate[{FILTER}]  (VALUE: 50/s, 600/m, 20 = per second)
 *            bytes[{FILTER}] (VALUE: 10MB/s, 512KiB/s, 1e6 = bytes per second)
 *            5xx | 4xx|5xx | 500|503 | errors (= 5xx)   (VALUE: 5%, or a share 0.05)
 *            p50 | p90 | p95 | p99   (VALUE: 500ms, 0.5s, 250us)
 *   FILTER:  section=/api, vhost=shop, status=5xx|404 (comma-separated, all must hold)
 *   WINDOW:  30s, 5m, 1h, 1m30s
 * ```
 */
import { MonitorOptionsError } from '../../errors.js';
import type { Rule, RuleFilter } from './rule.js';

const NAME = /^[A-Za-z_][\w.-]*$/;
const STATUS = /^(?:[1-9]xx|[1-9]\d\d)$/;

/** Parses one rule; a mistake is a `MonitorOptionsError` with one line naming the rule. */
export function parseRule(text: string): Rule {
  const fail = (why: string): never => {
    throw new MonitorOptionsError(`rule "${text.trim()}": ${why}`);
  };
  const colon = text.indexOf(':');
  if (colon < 0) return fail('expected NAME: MEASURE > VALUE over WINDOW, e.g. "errors: 5xx > 5% over 5m"');
  const name = text.slice(0, colon).trim();
  if (!NAME.test(name)) return fail(`the name "${name}" must be letters, digits, _ . - (starting with a letter or _)`);
  const body = text.slice(colon + 1).trim();
  const gt = body.indexOf('>');
  if (gt < 0) return fail('expected ">" and a threshold, e.g. "5xx > 5% over 5m"');
  const measure = body.slice(0, gt).trim();
  const tail = body
    .slice(gt + 1)
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const m = /^([A-Za-z0-9|,]+)\s*(?:\{([^}]*)\})?$/.exec(measure);
  if (m === null) return fail(`cannot read the measure "${measure}": use rate, bytes, 5xx (or other statuses), or p50/p90/p95/p99`);
  const what = (m[1] as string).toLowerCase();
  const where = m[2] === undefined ? undefined : parseFilter(m[2], fail);

  let rule: { -readonly [K in keyof Rule]: Rule[K] };
  const [thresholdText, overWord, windowText, ...options] = tail;
  if (thresholdText === undefined) return fail('a threshold is missing after ">"');
  if (overWord?.toLowerCase() !== 'over' || windowText === undefined)
    return fail('expected "over WINDOW" after the threshold, e.g. "over 5m"');
  const window = parseDuration(windowText, fail, 'window');
  const quantile = /^p(\d{1,2}(?:\.\d+)?)$/.exec(what);
  if (what === 'rate') {
    rule = { name, kind: 'rate', window, threshold: parseRate(thresholdText, fail) };
    if (where !== undefined) rule.where = where;
  } else if (what === 'bytes') {
    rule = { name, kind: 'bytes', window, threshold: parseByteRate(thresholdText, fail) };
    if (where !== undefined) rule.where = where;
  } else if (quantile !== null) {
    const q = Number(quantile[1]) / 100;
    if (!(q > 0 && q < 1)) fail(`"${what}" is not a quantile: use p50, p90, p95 or p99`);
    if (where !== undefined) fail('a latency rule takes no filter');
    rule = { name, kind: 'latency', window, threshold: parseDuration(thresholdText, fail, 'latency threshold') / 1000, quantile: q };
  } else {
    const statuses = what === 'errors' ? ['5xx'] : what.split(/[|,]/);
    if (statuses.some((s) => !STATUS.test(s)))
      return fail(`unknown measure "${what}": use rate, bytes, a status class or code (5xx, 503, 4xx|5xx), or p50/p90/p95/p99`);
    if (where !== undefined) fail('an error ratio takes no filter (its share is of all requests)');
    rule = { name, kind: 'errors', window, threshold: parseShare(thresholdText, fail), statuses };
  }
  for (let i = 0; i < options.length; i++) {
    const word = (options[i] as string).toLowerCase();
    const next = (): string => options[++i] ?? fail(`"${word}" needs a value`);
    if (word === 'min') {
      if (rule.kind !== 'errors' && rule.kind !== 'latency')
        fail('"min" (a minimum number of requests) applies to error ratios and latency rules');
      const n = next();
      if (!/^\d+$/.test(n)) fail(`"min ${n}": the minimum number of requests must be a whole number`);
      rule.minRequests = Number(n);
    } else if (word === 'recover') {
      let value = next();
      if (value === '<' || value === '<=') value = next();
      else if (value.startsWith('<=')) value = value.slice(2);
      else if (value.startsWith('<')) value = value.slice(1);
      rule.recover = parseThreshold(rule.kind, value, fail);
      if (rule.recover > rule.threshold) fail('the recover threshold must not exceed the threshold');
    } else if (word === 'labels') {
      const labels: Record<string, string> = {};
      for (const pair of next().split(',')) {
        const kv = /^([A-Za-z_]\w*)=(.+)$/.exec(pair);
        if (kv === null) return fail(`cannot read the label "${pair}": use labels key=value,key=value`);
        labels[kv[1] as string] = kv[2] as string;
      }
      rule.labels = labels;
    } else {
      fail(`unexpected "${options[i]}": after the window come "min N", "recover VALUE" and "labels K=V,..."`);
    }
  }
  return rule;
}

function parseThreshold(kind: Rule['kind'], text: string, fail: (why: string) => never): number {
  switch (kind) {
    case 'rate':
      return parseRate(text, fail);
    case 'bytes':
      return parseByteRate(text, fail);
    case 'errors':
      return parseShare(text, fail);
    case 'latency':
      return parseDuration(text, fail, 'latency threshold') / 1000;
  }
}

function parseFilter(text: string, fail: (why: string) => never): RuleFilter {
  const filter: { section?: string; vhost?: string; status?: string[] } = {};
  for (const part of text.split(',')) {
    const kv = /^\s*(\w+)\s*=\s*(\S+?)\s*$/.exec(part);
    if (kv === null) return fail(`cannot read the filter "${part.trim()}": use {section=/api}, {vhost=shop} or {status=5xx|404}`);
    const key = (kv[1] as string).toLowerCase();
    const value = kv[2] as string;
    if (key === 'section') filter.section = value.startsWith('/') ? value : `/${value}`;
    else if (key === 'vhost') filter.vhost = value;
    else if (key === 'status') {
      const statuses = value.toLowerCase().split('|');
      if (statuses.some((s) => !STATUS.test(s))) fail(`"status=${value}": use classes like 5xx or codes like 503, separated by |`);
      filter.status = statuses;
    } else fail(`unknown filter "${key}": use section, vhost or status`);
  }
  return filter;
}

/** `50/s`, `600/m`, `3600/h`, `20` (per second): requests per second. */
function parseRate(text: string, fail: (why: string) => never): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)(?:\/(s|sec|m|min|h))?$/i.exec(text);
  if (m === null) return fail(`cannot read the rate "${text}": use e.g. 50/s, 600/m or 50`);
  return Number(m[1]) / perSecond(m[2]);
}

/** `10MB/s`, `512KiB/s`, `1e6` (per second): bytes per second. */
function parseByteRate(text: string, fail: (why: string) => never): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)(b|kb|mb|gb|tb|kib|mib|gib|tib)?(?:\/(s|sec|m|min|h))?$/i.exec(text);
  if (m === null) return fail(`cannot read the byte rate "${text}": use e.g. 10MB/s, 512KiB/s or 1e6`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const scale: Record<string, number> = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    tb: 1e12,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    tib: 1024 ** 4,
  };
  return (Number(m[1]) * (scale[unit] as number)) / perSecond(m[3]);
}

function perSecond(unit: string | undefined): number {
  const u = (unit ?? 's').toLowerCase();
  return u === 'm' || u === 'min' ? 60 : u === 'h' ? 3600 : 1;
}

/** `5%` or `0.05`: a share of requests, 0..1. */
function parseShare(text: string, fail: (why: string) => never): number {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct !== null && Number(pct[1]) <= 100) return Number(pct[1]) / 100;
  if (/^(?:0(?:\.\d+)?|1(?:\.0*)?|\.\d+)$/.test(text)) return Number(text);
  return fail(`cannot read the share "${text}": use a percentage (5%) or a fraction between 0 and 1 (0.05)`);
}

/** `500ms`, `2s`, `5m`, `1h`, `1m30s`, `250us`: milliseconds. */
export function parseDuration(text: string, fail: (why: string) => never, what: string): number {
  const unit: Record<string, number> = { us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
  const parts = /^(?:\d+(?:\.\d+)?(?:us|µs|ms|s|min|m|h))+$/i.test(text) ? text.match(/\d+(?:\.\d+)?(?:us|µs|ms|s|min|m|h)/gi) : null;
  if (parts === null) return fail(`cannot read the ${what} "${text}": use a number with a unit (us, ms, s, m, h), e.g. 500ms or 5m`);
  let ms = 0;
  for (const part of parts) {
    const [, n, u] = /^(\d+(?:\.\d+)?)(\D+)$/.exec(part) as RegExpExecArray;
    ms += Number(n) * (unit[(u as string).toLowerCase()] as number);
  }
  if (!(ms > 0)) fail(`the ${what} must be longer than 0`);
  return ms;
}

/**
 * A rule given as data (a config file's `rules` entry that is an object, not a string), checked
 * field by field; strings go through `parseRule`.
 */
export function ruleOf(value: unknown): Rule {
  if (typeof value === 'string') return parseRule(value);
  const fail = (why: string): never => {
    throw new MonitorOptionsError(`rule ${JSON.stringify(value)}: ${why}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('a rule is a string ("errors: 5xx > 5% over 5m") or an object');
  const r = value as Record<string, unknown>;
  const known = ['name', 'kind', 'window', 'threshold', 'recover', 'where', 'statuses', 'minRequests', 'quantile', 'labels'];
  for (const key of Object.keys(r)) if (!known.includes(key)) fail(`unknown field "${key}"`);
  if (typeof r['name'] !== 'string' || !NAME.test(r['name'])) fail('"name" must be letters, digits, _ . -');
  if (!['rate', 'errors', 'latency', 'bytes'].includes(r['kind'] as string)) fail('"kind" must be rate, errors, latency or bytes');
  for (const key of ['window', 'threshold', 'recover', 'minRequests', 'quantile']) {
    if (r[key] !== undefined && (typeof r[key] !== 'number' || !Number.isFinite(r[key]))) fail(`"${key}" must be a number`);
  }
  if (r['window'] === undefined || r['threshold'] === undefined) fail('"window" (ms) and "threshold" are required');
  if (
    r['statuses'] !== undefined &&
    !(Array.isArray(r['statuses']) && r['statuses'].every((s) => typeof s === 'string' && STATUS.test(s)))
  ) {
    fail('"statuses" must be a list like ["5xx", "503"]');
  }
  const where = r['where'];
  if (where !== undefined) {
    if (typeof where !== 'object' || where === null) fail('"where" must be an object');
    const w = where as Record<string, unknown>;
    for (const key of Object.keys(w)) if (!['section', 'vhost', 'status'].includes(key)) fail(`unknown "where" field "${key}"`);
    if (w['status'] !== undefined && !(Array.isArray(w['status']) && w['status'].every((s) => typeof s === 'string' && STATUS.test(s)))) {
      fail('"where.status" must be a list like ["5xx", "503"]');
    }
  }
  if (
    r['labels'] !== undefined &&
    !(typeof r['labels'] === 'object' && r['labels'] !== null && Object.values(r['labels']).every((v) => typeof v === 'string'))
  ) {
    fail('"labels" must be an object of strings');
  }
  return value as Rule;
}
