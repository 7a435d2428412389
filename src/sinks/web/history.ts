import type { MonitorEvent } from '../../types.js';
import { formatJson } from '../jsonFormat.js';

/** How much of the recent past a page opened late gets (and a page open during a burst of events). */
export interface HistoryOptions {
  /** Keep the intervals that ended within this long (event time) of the newest one, ms. Default one hour. */
  readonly retain?: number;
  /** And at most this many of them, whatever the interval. Default 3600 (an hour of 1 s intervals). */
  readonly maxIntervals?: number;
  /** Alert transitions kept, newest. Default 500. */
  readonly maxAlerts?: number;
}

/** A retained stats event: its line, or the event until its line is asked for. */
interface KeptStats {
  readonly end: number;
  event: MonitorEvent | undefined;
  line: string | undefined;
}

/**
 * The retained recent past, as NDJSON lines: the stats of the last hour (bounded in count),
 * the last alert transitions and the latest summary. Memory is bounded whatever the run.
 * A stats event given without its line is kept as it is and formatted when first asked for:
 * a catch-up with no page open formats none of the intervals it goes through.
 */

export class EventHistory {
  private readonly retain: number;
  private readonly maxIntervals: number;
  private readonly maxAlerts: number;
  private stats: KeptStats[] = [];
  private head = 0;
  private added = 0;
  private alerts: string[] = [];
  private summary: string | undefined;

  constructor(options: HistoryOptions = {}) {
    this.retain = options.retain ?? 3_600_000;
    this.maxIntervals = Math.max(1, options.maxIntervals ?? 3600);
    this.maxAlerts = Math.max(1, options.maxAlerts ?? 500);
  }

  /**
   * Adds an event and its NDJSON line (`formatJson`'s, made when needed if not given);
   * returns a stats event's number (see {@link oldestRetained}).
   */
  add(event: MonitorEvent, line?: string): number | undefined {
    if (event.type === 'alert') {
      this.alerts.push(line ?? formatJson(event));
      if (this.alerts.length > 2 * this.maxAlerts) this.alerts = this.alerts.slice(-this.maxAlerts);
    } else if (event.type === 'summary') {
      this.summary = line ?? formatJson(event);
    } else {
      this.stats.push(line === undefined ? { end: event.end, event, line } : { end: event.end, event: undefined, line });
      const oldest = event.end - this.retain;
      while (
        this.head < this.stats.length &&
        (this.stats.length - this.head > this.maxIntervals || (this.stats[this.head] as { end: number }).end <= oldest)
      )
        this.head++;
      if (this.head > 256 && this.head * 2 > this.stats.length) {
        this.stats = this.stats.slice(this.head);
        this.head = 0;
      }
      return this.added++;
    }
    return undefined;
  }

  /** The retained lines: stats in arrival order, then alerts, then the summary. */
  lines(): string[] {
    const stats = this.stats.slice(this.head).map(lineOf);
    const alerts = this.alerts.slice(-this.maxAlerts);
    return this.summary === undefined ? [...stats, ...alerts] : [...stats, ...alerts, this.summary];
  }

  /** Stats events retained (for tests and the report of the sink). */
  get intervals(): number {
    return this.stats.length - this.head;
  }

  /**
   * The number (0 for the first stats event added, 1 for the next...) of the oldest stats
   * event retained: those numbered below have left the history.
   */
  get oldestRetained(): number {
    return this.added - this.intervals;
  }

  /** The NDJSON line of stats event number `n`, while retained. */
  statsLine(n: number): string | undefined {
    const i = n - this.oldestRetained;
    const kept = i < 0 || i >= this.intervals ? undefined : this.stats[this.head + i];
    return kept === undefined ? undefined : lineOf(kept);
  }
}

/** A kept stats event's line, formatted once (then the event is let go). */
function lineOf(kept: KeptStats): string {
  if (kept.line === undefined) {
    kept.line = formatJson(kept.event as MonitorEvent);
    kept.event = undefined;
  }
  return kept.line;
}
