/**
 * The data that travels through the engine. Every record carries its own event time
 * (milliseconds since the epoch, from the log line); processing time never appears here.
 */

/** One parsed access-log line. */
export interface AccessRecord {
  /** Tells a record from an invalid line. */
  readonly type: 'record';
  /** Event time in ms since the epoch (from `%t`). */
  readonly time: number;
  /** Client address or host name (`%h`). */
  readonly host: string;
  /** First path segment of the request target, e.g. `/api` for `/api/user?x=1`. */
  readonly section: string;
  /** HTTP status (`%>s` / `%s`), 100..999. */
  readonly status: number;
  /** Response size in bytes (`%b`, `%B`, `%O`); `-` counts as 0. */
  readonly bytes: number;
  /** Request method, e.g. `GET`; empty when the format has no `%r`/`%m`. */
  readonly method: string;
  /** Request path with query string (the target of `%r`, or `%U%q`). */
  readonly path: string;
  /**
   * Time taken to serve the request, in seconds, when the format has `%D` (microseconds),
   * `%T` or `%{us|ms|s}T`; absent otherwise.
   */
  readonly duration?: number;
}

/**
 * Why a line is invalid, as a stable key: `no_match` (not the shape of the format),
 * `bad_time` (impossible date, UTC offset outside -1200..+1400), `bad_status`, `bad_bytes`,
 * `future_time` (dated beyond `maxFuture` ahead of the clock), `overlong` (over 64 KiB).
 */
export type InvalidReason = 'no_match' | 'bad_time' | 'bad_status' | 'bad_bytes' | 'future_time' | 'overlong';

/** Invalid lines per reason; reasons without lines are absent. */
export type InvalidCounts = Readonly<Partial<Record<InvalidReason, number>>>;

/** A non-empty line that does not match the log format. */
export interface InvalidLine {
  /** Tells an invalid line from a record. */
  readonly type: 'invalid';
  /** The offending line (possibly cut to a bounded length). */
  readonly line: string;
  /** Why it was rejected. */
  readonly reason: InvalidReason;
}

/** What `parseAccessLog` emits for every non-empty line. */
export type ParsedLine = AccessRecord | InvalidLine;

/**
 * A closed event-time window: the aggregate of the records with `start <= time < end` that
 * were not late. Windows keep aggregates, never records: memory is bounded by the distinct
 * hosts and sections of the open windows, not by the traffic.
 */
export interface ClosedWindow {
  /** Tells a window from a late record or an invalid line. */
  readonly type: 'window';
  /** First event time in the window, ms since the epoch (a multiple of the interval). */
  readonly start: number;
  /** `start` + the interval: the first event time after the window. */
  readonly end: number;
  /** Records in the window. */
  readonly hits: number;
  /** Sum of their bytes. */
  readonly bytes: number;
  /** Distinct client hosts (exact). */
  readonly hosts: number;
  /** Hits of every section of the window, by hits descending then name ascending. */
  readonly sections: readonly SectionHits[];
  /** Hits per status class: `{ "2xx": 10, "4xx": 2 }`, in ascending order, empty classes omitted. */
  readonly status: Readonly<Record<string, number>>;
  /** Empty windows skipped just before this one (a gap longer than `maxEmptyWindows`). */
  readonly skipped?: number;
  /** What the configured alert rules need of this window beyond the counts above; absent without such rules. */
  readonly ruleData?: RuleIntervalData;
}

/** A record that arrived after its window had closed: counted, kept out of every window. */
export interface LateRecord {
  /** Tells a late record from a window or an invalid line. */
  readonly type: 'late';
  /** The record, as parsed. */
  readonly record: AccessRecord;
  /** The watermark when it arrived (ms). */
  readonly watermark: number;
}

/**
 * What `eventTimeWindows` emits, in arrival order: closed windows, late records as a side
 * output, and invalid lines passed through untouched so that downstream can count them.
 */
export type WindowOutput = ClosedWindow | LateRecord | InvalidLine;

/** A section (first path segment) and its hits in one interval. */
export interface SectionHits {
  /** The section (`/api`), or for `by` a log file, a virtual host or `other`. */
  readonly name: string;
  /** Its hits in the interval. */
  readonly hits: number;
}

/** Statistics of one interval. Times in ms since the epoch. */
export interface StatsEvent {
  /** Tells interval statistics from an alert or the summary. */
  readonly type: 'stats';
  /** First event time of the interval, ms since the epoch. */
  readonly start: number;
  /** First event time after it. */
  readonly end: number;
  /** Requests counted in the interval (parsed, on time). */
  readonly hits: number;
  /** Response bytes of those requests. */
  readonly bytes: number;
  /** Distinct client hosts. */
  readonly hosts: number;
  /** Top sections, by hits descending then name ascending. */
  readonly sections: readonly SectionHits[];
  /** Hits per status class: `{ "2xx": 10, "4xx": 2 }` (classes with zero hits omitted). */
  readonly status: Readonly<Record<string, number>>;
  /** Invalid lines seen since the previous stats event. */
  readonly invalid: number;
  /** Late lines seen since the previous stats event. */
  readonly late: number;
  /** `invalid` by reason; present only when `invalid` > 0. */
  readonly invalidReasons?: InvalidCounts;
  /** Empty intervals skipped just before this one (very long gap); absent when none. */
  readonly skipped?: number;
  /** `--by file|vhost`: hits per log file or virtual host (capped, the rest as `other`); absent otherwise. */
  readonly by?: readonly SectionHits[];
  /** What the configured alert rules need of this interval beyond the counts above (see `ruleAlerts`); absent without such rules. */
  readonly ruleData?: RuleIntervalData;
  /** With alert rules (`ruleAlerts`): each rule's value, thresholds and state at this interval's end. */
  readonly rules?: readonly RuleValue[];
}

/**
 * Per-interval figures of configured alert rules (`Rule`), beyond the plain statistics:
 * requests and their bytes per rule filter, and request durations in log buckets.
 */
export interface RuleIntervalData {
  /** Requests and their response bytes matching each rule filter, by the filter's key (`filterKey`). */
  readonly filtered: Readonly<
    Record<
      string,
      {
        /** Requests matching the filter. */
        readonly hits: number;
        /** Their response bytes. */
        readonly bytes: number;
      }
    >
  >;
  /** Latency rules: durations (seconds) in logarithmic buckets (DDSketch's mapping, relative error 1 %). */
  readonly latency?: {
    /** Durations counted. */
    readonly count: number;
    /** Those of 1 µs or less. */
    readonly zero: number;
    /** Count per bucket index i (durations in (γ^(i-1), γ^i], γ = 1.01 / 0.99). */
    readonly bins: Readonly<Record<string, number>>;
  };
}

/** An alert rule at the end of an interval. */
export interface RuleValue {
  /** The rule's name. */
  readonly rule: string;
  /** What it measures: `rate` (req/s), `errors` (a share, 0..1), `latency` (seconds), `bytes` (bytes/s). */
  readonly kind: 'rate' | 'errors' | 'latency' | 'bytes';
  /** Its value over its window; null when it has none (fewer requests than its minimum). */
  readonly value: number | null;
  /** Fires above this. */
  readonly threshold: number;
  /** Recovers at or below this. */
  readonly recover: number;
  /** Whether it fires. */
  readonly firing: boolean;
}

/** `firing` when the rate rose above the threshold, `recovered` when it fell back. */
export type AlertState = 'firing' | 'recovered';

/** An alert transition, evaluated at the end of an interval. */
export interface AlertEvent {
  /** Tells an alert transition from statistics or the summary. */
  readonly type: 'alert';
  /** Which way it went. */
  readonly state: AlertState;
  /** Evaluation time T (a window end), ms since the epoch. */
  readonly at: number;
  /** Counted lines with time in [T - alertWindow, T). */
  readonly hits: number;
  /** hits / alertWindow seconds. */
  readonly rate: number;
  /** The threshold that applied to this transition (fire or recover threshold). */
  readonly threshold: number;
  /**
   * The alert rule that made it (`ruleAlerts`); absent for the built-in traffic alert. For a
   * rule, `hits` and `rate` are the requests it counted over its window, `threshold` is in its unit.
   */
  readonly rule?: string;
  /** A rule's value over its window (req/s, share of requests, seconds, or bytes/s); absent for the built-in alert. */
  readonly value?: number;
  /** What the rule measures (the unit of `value` and `threshold`); absent for the built-in alert. */
  readonly kind?: RuleValue['kind'];
  /** The rule's own labels (for Alertmanager), when it has some. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Totals for the whole run: `lines = parsed + invalid`; late lines are among parsed. */
export interface SummaryEvent {
  /** Tells the summary from statistics or an alert. */
  readonly type: 'summary';
  /** Non-empty lines counted: `parsed + invalid`. */
  readonly lines: number;
  /** Lines that parsed as requests (late ones included). */
  readonly parsed: number;
  /** Lines that did not (see `invalidReasons`). */
  readonly invalid: number;
  /** Parsed lines that came after their interval had closed (counted in no interval). */
  readonly late: number;
  /** `invalid` by reason; present only when `invalid` > 0. */
  readonly invalidReasons?: InvalidCounts;
  /**
   * Follow mode stopped with a checkpoint: lines read and kept in still-open windows, saved
   * for the next run (not among `lines` yet; they are counted when their window closes).
   * Absent when there are none.
   */
  readonly held?: number;
  /** Lines left out by `--since`/`--until` (not among `lines`); absent without a range. */
  readonly outOfRange?: number;
}

/** Everything the engine emits: interval statistics, alert transitions, and a summary at the end. */
export type MonitorEvent = StatsEvent | AlertEvent | SummaryEvent;
