/**
 * The page's data contract: the engine's events exactly as NDJSON writes them
 * (see `formatJson`), with times as ISO 8601 UTC strings. The live page receives these lines
 * over Server-Sent Events; the report embeds them (or buckets of them) as JSON.
 * Pure types and helpers, shared by the server, the report writer and the page (no DOM, no Node).
 */

/** A section (or a file, a virtual host) and its hits. */
export interface NamedHits {
  /** The section, file or virtual host. */
  readonly name: string;
  /** Its hits. */
  readonly hits: number;
}

/** A `stats` line of the NDJSON output. */
export interface StatsJson {
  /** Tells interval statistics from the other events. */
  readonly type: 'stats';
  /** First event time of the interval, ISO 8601 UTC. */
  readonly start: string;
  /** First event time after it. */
  readonly end: string;
  /** Requests counted in the interval. */
  readonly hits: number;
  /** Their response bytes. */
  readonly bytes: number;
  /** Distinct client hosts. */
  readonly clients: number;
  /** Top sections, by hits descending then name. */
  readonly sections: readonly NamedHits[];
  /** Hits per status class (`2xx`...). */
  readonly status: Readonly<Record<string, number>>;
  /** Invalid lines since the previous stats event. */
  readonly invalid: number;
  /** Late lines since the previous stats event. */
  readonly late: number;
  /** `invalid` by reason, when some. */
  readonly invalidReasons?: Readonly<Record<string, number>>;
  /** Empty intervals skipped just before this one. */
  readonly skipped?: number;
  /** `--by file|vhost`: hits per file or virtual host. */
  readonly by?: readonly NamedHits[];
  /** Set by a later version of the engine (a corrected interval); shown as is. */
  readonly revision?: number;
  /** With alert rules: each rule's value (null: fewer requests than its minimum) and state at the interval's end. */
  readonly rules?: readonly RuleValueJson[];
}

/** What an alert rule measures: req/s, a share of requests (0..1), seconds, bytes/s. */
export type RuleKindJson = 'rate' | 'errors' | 'latency' | 'bytes';

/** A rule at the end of an interval, as a stats line gives it. */
export interface RuleValueJson {
  /** The rule's name (from the command line or a config file: shown as text). */
  readonly rule: string;
  /** Its value over its window; null when it has none. */
  readonly value: number | null;
  /** Whether it fires. */
  readonly firing: boolean;
}

/** A configured rule, for the page's Rules panel (`PageMeta.rules`). */
export interface RuleMetaJson {
  /** Its name. */
  readonly rule: string;
  /** What it measures (the unit of its value and thresholds). */
  readonly kind: RuleKindJson;
  /** Fires above this. */
  readonly threshold: number;
  /** Recovers at or below this. */
  readonly recover: number;
}

/** An `alert` line. `rule` names the alert rule when the engine has several. */
export interface AlertJson {
  /** Tells an alert transition from the other events. */
  readonly type: 'alert';
  /** Which way it went. */
  readonly state: 'firing' | 'recovered';
  /** Evaluation time, ISO 8601 UTC. */
  readonly at: string;
  /** Lines counted in the alert window. */
  readonly hits: number;
  /** hits / alert window seconds, two decimals. */
  readonly rate: number;
  /** The threshold that applied. */
  readonly threshold: number;
  /** The alert rule that made it; absent for the built-in traffic alert. */
  readonly rule?: string;
  /** A rule's kind (the unit of `value` and `threshold`). */
  readonly kind?: RuleKindJson;
  /** A rule's value over its window. */
  readonly value?: number;
  /** A rule's own labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The `summary` line at the end of a run. */
export interface SummaryJson {
  /** Tells the summary from the other events. */
  readonly type: 'summary';
  /** Non-empty lines counted: parsed + invalid. */
  readonly lines: number;
  /** Lines that parsed as requests (late ones included). */
  readonly parsed: number;
  /** Lines that did not. */
  readonly invalid: number;
  /** Parsed lines that came after their interval had closed. */
  readonly late: number;
  /** `invalid` by reason, when some. */
  readonly invalidReasons?: Readonly<Record<string, number>>;
  /** Lines held in open windows for the next run (follow mode with a checkpoint). */
  readonly held?: number;
  /** Lines left out by `--since`/`--until`. */
  readonly outOfRange?: number;
}

/** Any event the page knows, as NDJSON gives it. */
export type EventJson = StatsJson | AlertJson | SummaryJson;

/** What the page is told about the run besides the events. */
export interface PageMeta {
  /** The log(s) read, as the CLI names them (already free of control characters). */
  readonly source: string;
  /** `follow` (live), `replay` (live page of a replay), `report` (a file). */
  readonly mode: 'follow' | 'replay' | 'report';
  /** Alert threshold, requests/s. */
  readonly threshold: number;
  /** Alert averaging window, seconds. */
  readonly alertWindow: number;
  /** Interval, seconds. */
  readonly interval: number;
  /** `--by file|vhost`, when given. */
  readonly by?: 'file' | 'vhost';
  /** The alert rules (`--rule`), when some: their kinds and thresholds (stats lines give only values). */
  readonly rules?: readonly RuleMetaJson[];
}

/** Milliseconds since the epoch of an NDJSON time (`2026-10-10T13:50:00Z`). */
export function timeOf(iso: string): number {
  return Date.parse(iso);
}

/**
 * Parses one NDJSON line into an event, or undefined when it is not one the page knows
 * (a newer engine may add event types: they are skipped, not fatal).
 */
export function parseEventLine(line: string): EventJson | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return type === 'stats' || type === 'alert' || type === 'summary' ? (value as EventJson) : undefined;
}
