/**
 * The page's data contract: the engine's events exactly as NDJSON writes them
 * (see `formatJson`), with times as ISO 8601 UTC strings. The live page receives these lines
 * over Server-Sent Events; the report embeds them (or buckets of them) as JSON.
 * Pure types and helpers, shared by the server, the report writer and the page (no DOM, no Node).
 */

/** A section (or a file, a virtual host) and its hits. */
export interface NamedHits {
  readonly name: string;
  readonly hits: number;
}

/** A `stats` line of the NDJSON output. */
export interface StatsJson {
  readonly type: 'stats';
  readonly start: string;
  readonly end: string;
  readonly hits: number;
  readonly bytes: number;
  readonly clients: number;
  readonly sections: readonly NamedHits[];
  readonly status: Readonly<Record<string, number>>;
  readonly invalid: number;
  readonly late: number;
  readonly invalidReasons?: Readonly<Record<string, number>>;
  readonly skipped?: number;
  readonly by?: readonly NamedHits[];
  /** Set by a later version of the engine (a corrected interval); shown as is. */
  readonly revision?: number;
}

/** An `alert` line. `rule` names the alert rule when the engine has several. */
export interface AlertJson {
  readonly type: 'alert';
  readonly state: 'firing' | 'recovered';
  readonly at: string;
  readonly hits: number;
  readonly rate: number;
  readonly threshold: number;
  readonly rule?: string;
}

/** The `summary` line at the end of a run. */
export interface SummaryJson {
  readonly type: 'summary';
  readonly lines: number;
  readonly parsed: number;
  readonly invalid: number;
  readonly late: number;
  readonly invalidReasons?: Readonly<Record<string, number>>;
  readonly held?: number;
  readonly outOfRange?: number;
}

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
