import type { AlertEvent, MonitorEvent, StatsEvent } from '../../types.js';
import { formatAlert } from '../textFormat.js';
import { SinkError } from '../../errors.js';
import { createAlertWindowRate } from '../alertWindowRate.js';

/**
 * Pure InfluxDB line-protocol encoding of monitor events. Timestamps are the window END
 * (stats) or the evaluation time (alerts), in milliseconds by default (`precision=ms`).
 *
 * ```text
 * apachescan_interval[,host=web1] hits=42i,bytes=9000i,hosts=3i,invalid=0i,late=1i,rate=4.2,alert_rate=3.1,alert_threshold=10,status_1xx=0i,status_2xx=40i,... 1767225610000
 * apachescan_section[,host=web1],section=/api hits=30i 1767225610000
 * apachescan_alert[,host=web1],state=firing hits=1300i,rate=10.83,threshold=10,message="High traffic ..." 1767225720000
 * apachescan_rule[,host=web1],kind=errors,rule=errors value=0.062,threshold=0.05,recover=0.05,firing=1i 1767225720000
 * apachescan_alert[,host=web1],rule=errors,state=firing hits=1300i,rate=10.83,threshold=0.05,value=0.062,message="Rule errors fired ..." 1767225720000
 * ```
 * With alert rules, each interval also writes one `apachescan_rule` point per rule (its value
 * is left out while it has none), and a rule's transitions carry the tag `rule`.
 * `rate` is the interval's own rate; `alert_rate` the rate the built-in alert compares with
 * `alert_threshold` (averaged over the alert window), both written with every interval so
 * that a "rate vs threshold" graph has both lines over any time range.
 * Summary events have no event time and are not encoded.
 */

/** Timestamp precision, as the v2 API names it (`s`, `ms`, `us`, `ns`). */
export type Precision = 's' | 'ms' | 'us' | 'ns';

/** One point per interval: hits, bytes, clients, invalid, late, rates, status classes. */
export const MEASUREMENT_INTERVAL = 'apachescan_interval';
/** One point per listed section of an interval, tagged `section`. */
export const MEASUREMENT_SECTION = 'apachescan_section';
/** One point per alert rule and interval, tagged `rule` and `kind`. */
export const MEASUREMENT_RULE = 'apachescan_rule';
/** One point per alert transition, tagged `state` (`firing`, `recovered`). */
export const MEASUREMENT_ALERT = 'apachescan_alert';
/** Always written (0 when absent) so that stacked graphs have no gaps. */
export const STATUS_CLASSES: readonly string[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];
/** Longer tag values (hostile section names) are cut: tags are index keys, keep them small. */
export const MAX_TAG_VALUE_LENGTH = 256;

/** How events are encoded: timestamp precision, global tags, the alert window and threshold. */
export interface EncoderOptions {
  /** Default `ms`. */
  readonly precision?: Precision;
  /** Added to every point, e.g. `{ host: os.hostname() }`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** The engine's alert window, ms, for `alert_rate`. Default 120 000. */
  readonly alertWindow?: number;
  /** The engine's alert threshold, req/s, written as `alert_threshold`. Default 10. */
  readonly threshold?: number;
}

const RESERVED_TAG_KEYS = new Set(['section', 'state', 'rule', 'kind', 'time', '_measurement', '_field']);

/**
 * Validates the global tags once (throws `SinkError`) and returns `event -> lines` (no
 * newlines inside; join with `\n`). Never throws on an event.
 */
export function createEncoder(options: EncoderOptions = {}): (event: MonitorEvent) => string[] {
  const precision = options.precision ?? 'ms';
  const { alertWindow = 120_000, threshold = 10 } = options;
  if (!(Number.isFinite(alertWindow) && alertWindow > 0))
    throw new SinkError(`invalid alert window ${alertWindow}: expected a positive number of ms`);
  if (!(Number.isFinite(threshold) && threshold >= 0))
    throw new SinkError(`invalid alert threshold ${threshold}: expected a non-negative number`);
  const alertRate = createAlertWindowRate(alertWindow);
  const globalTags = Object.entries(options.tags ?? {})
    .map(([key, value]): [string, string] => {
      if (key === '' || value === '') throw new SinkError(`invalid InfluxDB tag "${key}=${value}": name and value must not be empty`);
      if (RESERVED_TAG_KEYS.has(key)) throw new SinkError(`invalid InfluxDB tag "${key}": the name is reserved`);
      return [escapeTag(key), escapeTag(value)];
    })
    .sort(byKey);
  // Tags sorted by key, as InfluxDB stores them (saves it a sort per point).
  const tagsWith = (key: string, value: string, key2?: string, value2?: string): string => {
    const own: [string, string][] = [[key, escapeTag(value === '' ? '(none)' : value)]];
    if (key2 !== undefined && value2 !== undefined) own.push([key2, escapeTag(value2)]);
    return joinTags([...globalTags, ...own].sort(byKey));
  };
  const plainTags = joinTags(globalTags);
  return (event) => {
    if (event.type === 'summary') return [];
    const time = event.type === 'stats' ? event.end : event.at;
    if (!Number.isFinite(time)) return [];
    const ts = formatTimestamp(time, precision);
    if (event.type === 'alert')
      return [line(MEASUREMENT_ALERT + tagsWith('state', event.state, ...ruleTag(event)), alertFields(event), ts)].filter(isString);
    const alert = [floatField('alert_rate', alertRate(event)), floatField('alert_threshold', threshold)];
    const lines = [line(MEASUREMENT_INTERVAL + plainTags, intervalFields(event, alert), ts)];
    for (const s of event.sections) lines.push(line(MEASUREMENT_SECTION + tagsWith('section', s.name), [intField('hits', s.hits)], ts));
    for (const r of event.rules ?? []) {
      const fields = [
        floatField('value', r.value ?? NaN),
        floatField('threshold', r.threshold),
        floatField('recover', r.recover),
        intField('firing', r.firing ? 1 : 0),
      ];
      lines.push(line(MEASUREMENT_RULE + tagsWith('rule', r.rule, 'kind', r.kind), fields, ts));
    }
    return lines.filter(isString);
  };
}

/** One-off encoding; prefer `createEncoder` for a stream (its `alert_rate` slides over the intervals it saw; here it sees one). */
export function encodeEvent(event: MonitorEvent, options: EncoderOptions = {}): string[] {
  return createEncoder(options)(event);
}

function intervalFields(s: StatsEvent, alert: readonly (string | undefined)[]): (string | undefined)[] {
  const seconds = (s.end - s.start) / 1000;
  const fields = [
    intField('hits', s.hits),
    intField('bytes', s.bytes),
    intField('hosts', s.hosts),
    intField('invalid', s.invalid),
    intField('late', s.late),
    seconds > 0 ? floatField('rate', s.hits / seconds) : undefined,
    ...alert,
  ];
  const classes = [...new Set([...STATUS_CLASSES, ...Object.keys(s.status)])].sort();
  for (const cls of classes) fields.push(intField(`status_${cls}`, s.status[cls] ?? 0));
  return fields;
}

function alertFields(a: AlertEvent): (string | undefined)[] {
  const value = a.value === undefined ? undefined : floatField('value', a.value);
  return [
    intField('hits', a.hits),
    floatField('rate', a.rate),
    floatField('threshold', a.threshold),
    value,
    stringField('message', formatAlert(a)),
  ];
}

/** `['rule', name]` for a rule's transition, nothing for the built-in alert's. */
function ruleTag(a: AlertEvent): [] | [string, string] {
  return a.rule === undefined ? [] : ['rule', a.rule];
}

function line(seriesKey: string, fields: readonly (string | undefined)[], ts: string): string | undefined {
  const present = fields.filter(isString);
  return present.length === 0 ? undefined : `${seriesKey} ${present.join(',')} ${ts}`;
}

function byKey(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function joinTags(tags: readonly (readonly [string, string])[]): string {
  return tags.map(([k, v]) => `,${k}=${v}`).join('');
}

function isString(x: string | undefined): x is string {
  return x !== undefined;
}

/** `name=42i`; undefined (field left out) for NaN, infinities and unsafe integers. */
export function intField(name: string, value: number): string | undefined {
  const n = Math.round(value);
  return Number.isSafeInteger(n) ? `${escapeTag(name)}=${n}i` : undefined;
}

/** `name=1.5`; undefined (field left out) for NaN and infinities, which the protocol cannot carry. */
export function floatField(name: string, value: number): string | undefined {
  return Number.isFinite(value) ? `${escapeTag(name)}=${String(value === 0 ? 0 : value)}` : undefined;
}

/** `name="..."` with quotes and backslashes escaped and control characters shown as `\xHH`. */
export function stringField(name: string, value: string): string {
  return `${escapeTag(name)}="${escapeStringField(value)}"`;
}

/** `ms` since the epoch -> integer in `precision` units (exact, via BigInt for us/ns). */
export function formatTimestamp(ms: number, precision: Precision): string {
  const t = Math.round(ms);
  switch (precision) {
    case 's':
      return String(Math.floor(t / 1000));
    case 'ms':
      return String(t);
    case 'us':
      return (BigInt(t) * 1000n).toString();
    case 'ns':
      return (BigInt(t) * 1_000_000n).toString();
  }
}

/**
 * Escapes a tag key, tag value or field key. Commas, spaces and `=` get a backslash.
 * Control characters (newline, CR, tab, ...) AND backslashes become `\xHH`: InfluxDB 1.x
 * cannot represent a backslash before a delimiter (`a\` then space breaks the line, even
 * as `a\\`), so every backslash in the output is either our escape or followed by `x`.
 * Values are cut to MAX_TAG_VALUE_LENGTH first (never inside a surrogate pair).
 */
export function escapeTag(text: string): string {
  let cut = text;
  if (cut.length > MAX_TAG_VALUE_LENGTH) {
    cut = cut.slice(0, MAX_TAG_VALUE_LENGTH);
    if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  }
  return cut.replace(TAG_HEX, hex).replace(TAG_SPECIAL, '\\$&');
}

/** Escapes the inside of a string field: `\` -> `\\`, `"` -> `\"`, control characters -> `\xHH`. */
export function escapeStringField(text: string): string {
  return text.replace(CONTROL, hex).replace(STRING_SPECIAL, '\\$&');
}

function hex(ch: string): string {
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

// Single character classes, no quantifiers: linear on any input.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const TAG_HEX = /[\u0000-\u001f\u007f-\u009f\\]/g;
const TAG_SPECIAL = /[, =]/g;
const STRING_SPECIAL = /["\\]/g;
