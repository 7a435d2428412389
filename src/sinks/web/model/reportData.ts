import { timeOf, type AlertJson, type EventJson, type NamedHits, type PageMeta, type StatsJson, type SummaryJson } from './eventJson.js';
import { RollingRate } from './rollingRate.js';
import { addToTotals, createTotals, topOf, type IntervalFigures, type Totals } from './totals.js';

/** Up to this many intervals, the report keeps every stats event as NDJSON gives it. */
export const EXACT_INTERVALS = 2000;
/** Beyond, the charts show at most about this many buckets. */
export const MAX_BUCKETS = 1500;
/** Rows of the report's tables (sections, `--by`, busiest intervals). */
export const TABLE_ROWS = 20;
/** Bucket sizes the report picks from, seconds: round durations people read on an axis. */
const BUCKET_SIZES = [60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];

/** Several intervals summed: hits, bytes, statuses, invalid and late exact; clients and rate their peak. */
export interface BucketJson {
  /** First event time of the bucket, ISO 8601 UTC. */
  readonly start: string;
  /** First event time after it. */
  readonly end: string;
  /** Requests in its intervals. */
  readonly hits: number;
  /** Their response bytes. */
  readonly bytes: number;
  /** Most distinct clients in one interval of the bucket. */
  readonly clients: number;
  /** Hits per status class. */
  readonly status: Readonly<Record<string, number>>;
  /** Invalid lines. */
  readonly invalid: number;
  /** Late lines. */
  readonly late: number;
  /** Highest alert rate (requests/s over the alert window) at an interval end in the bucket. */
  readonly rate: number;
}

/** Exact figures of the whole run, for the tables. */
export interface TotalsJson {
  /** Stats events of the run. */
  readonly intervals: number;
  /** Requests counted. */
  readonly hits: number;
  /** Their response bytes. */
  readonly bytes: number;
  /** Invalid lines. */
  readonly invalid: number;
  /** Late lines. */
  readonly late: number;
  /** Most distinct clients in one interval. */
  readonly peakClients: number;
  /** Most hits in one interval. */
  readonly peakHits: number;
  /** Hits per status class. */
  readonly status: Readonly<Record<string, number>>;
  /** Invalid lines by reason. */
  readonly invalidReasons: Readonly<Record<string, number>>;
  /** Top sections over the run (sums of what each interval lists). */
  readonly sections: readonly NamedHits[];
  /** `--by` totals, top names. */
  readonly by: readonly NamedHits[];
  /** Start of the first interval, ISO 8601 UTC. */
  readonly first?: string;
  /** End of the last interval. */
  readonly last?: string;
}

/** What a report embeds (`<script type="application/json" id="apachescan-data">`). */
export interface ReportData {
  /** The format of this data: 1. */
  readonly version: 1;
  /** What the run is. */
  readonly meta: PageMeta;
  /** Every stats event, as NDJSON gives it; empty when the run had more than {@link EXACT_INTERVALS}. */
  readonly intervals: readonly StatsJson[];
  /** Coarser buckets for the charts when `intervals` is empty; their size in seconds. */
  readonly buckets: readonly BucketJson[];
  /** Seconds per bucket, when `buckets` are used. */
  readonly bucketSize?: number;
  /** Every alert transition, as NDJSON gives it. */
  readonly alerts: readonly AlertJson[];
  /** The summary event, when the run ended with one. */
  readonly summary?: SummaryJson;
  /** Exact totals of the whole run. */
  readonly totals: TotalsJson;
  /** The intervals with the most hits, exact, busiest first. */
  readonly busiest: readonly StatsJson[];
  /** The last interval, exact (its sections are "the current interval"). */
  readonly lastInterval?: StatsJson;
}

/** Column store of every interval: a month of 10 s intervals is 260k rows of a few numbers. */
interface Columns {
  start: number[];
  end: number[];
  hits: number[];
  bytes: number[];
  clients: number[];
  invalid: number[];
  late: number[];
  rate: number[];
  status: Map<string, number[]>;
}

/**
 * Collects a run's events (NDJSON objects) and builds the report's data: exact while small,
 * buckets of a round size beyond. Memory: a few numbers per interval, the alerts, the tables.
 */
export class ReportBuilder {
  private readonly cols: Columns = {
    start: [],
    end: [],
    hits: [],
    bytes: [],
    clients: [],
    invalid: [],
    late: [],
    rate: [],
    status: new Map(),
  };
  private exact: StatsJson[] | undefined = [];
  private readonly alerts: AlertJson[] = [];
  private summary: SummaryJson | undefined;
  private readonly totals: Totals = createTotals();
  private busiest: StatsJson[] = [];
  private last: StatsJson | undefined;
  private lastJson: (() => StatsJson) | undefined;
  private readonly rate: RollingRate;

  constructor(private readonly meta: PageMeta) {
    this.rate = new RollingRate(meta.alertWindow * 1000);
  }

  /** Adds an event as NDJSON gives it. */
  add(event: EventJson): void {
    if (event.type === 'alert') this.alerts.push(event);
    else if (event.type === 'summary') this.summary = event;
    else this.addStats(event, timeOf(event.start), timeOf(event.end), () => event);
  }

  /**
   * One stats event from its figures and times (ms); `json` gives it as NDJSON does, asked
   * for only while the report keeps it (exact intervals, the busiest): the report of a long
   * replay parses no JSON per interval.
   */
  addStats(stats: IntervalFigures, start: number, end: number, json: () => StatsJson): void {
    const c = this.cols;
    const row = c.start.length;
    c.start.push(start);
    c.end.push(end);
    c.hits.push(stats.hits);
    c.bytes.push(stats.bytes);
    c.clients.push(stats.clients);
    c.invalid.push(stats.invalid);
    c.late.push(stats.late);
    c.rate.push(this.rate.push(start, end, stats.hits));
    // Dense columns (a hole would turn the array into a slow dictionary): 0 where a class had no hits.
    for (const k in stats.status) {
      let col = c.status.get(k);
      if (col === undefined) {
        col = new Array<number>(row).fill(0);
        c.status.set(k, col);
      }
      col.push(stats.status[k] as number);
    }
    for (const col of c.status.values()) if (col.length === row) col.push(0);
    addToTotals(this.totals, stats, start, end);
    this.lastJson = json;
    this.last = this.exact !== undefined ? json() : undefined;
    if (this.exact !== undefined) {
      this.exact.push(this.last as StatsJson);
      if (this.exact.length > EXACT_INTERVALS) this.exact = undefined;
    }
    if (this.busiest.length < TABLE_ROWS || stats.hits > (this.busiest[this.busiest.length - 1] as StatsJson).hits) {
      this.last ??= json();
      this.busiest.push(this.last);
      this.busiest.sort((a, b) => b.hits - a.hits);
      if (this.busiest.length > TABLE_ROWS) this.busiest.length = TABLE_ROWS;
    }
  }

  /** The report's data of what was added so far. */
  build(): ReportData {
    this.last ??= this.lastJson?.();
    const t = this.totals;
    const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
    const totals: TotalsJson = {
      intervals: t.intervals,
      hits: t.hits,
      bytes: t.bytes,
      invalid: t.invalid,
      late: t.late,
      peakClients: t.peakClients,
      peakHits: t.peakHits,
      status: t.status,
      invalidReasons: t.invalidReasons,
      sections: topOf(t.sections, TABLE_ROWS),
      by: topOf(t.by, TABLE_ROWS),
      ...(t.first === undefined ? {} : { first: iso(t.first) }),
      ...(t.last === undefined || t.first === undefined ? {} : { last: iso(t.last) }),
    };
    const exact = this.exact !== undefined;
    const size = exact ? undefined : bucketSize(this.cols, this.meta.interval);
    return {
      version: 1,
      meta: this.meta,
      intervals: this.exact ?? [],
      buckets: size === undefined ? [] : buckets(this.cols, size * 1000, iso),
      ...(size === undefined ? {} : { bucketSize: size }),
      alerts: this.alerts,
      ...(this.summary === undefined ? {} : { summary: this.summary }),
      totals,
      busiest: this.busiest,
      ...(this.last === undefined ? {} : { lastInterval: this.last }),
    };
  }
}

/** The smallest round size, a multiple of the interval, that makes at most {@link MAX_BUCKETS} buckets. */
export function bucketSize(cols: { start: readonly number[]; end: readonly number[] }, interval: number): number {
  const n = cols.start.length;
  const span = n === 0 ? 0 : ((cols.end[n - 1] as number) - (cols.start[0] as number)) / 1000;
  for (const size of BUCKET_SIZES) if (size % interval === 0 && span / size <= MAX_BUCKETS) return size;
  return Math.max(interval, Math.ceil(span / MAX_BUCKETS / interval) * interval);
}

function buckets(c: Columns, size: number, iso: (ms: number) => string): BucketJson[] {
  const out: BucketJson[] = [];
  let i = 0;
  const n = c.start.length;
  while (i < n) {
    const from = Math.floor((c.start[i] as number) / size) * size;
    const to = from + size;
    let hits = 0,
      bytes = 0,
      clients = 0,
      invalid = 0,
      late = 0,
      rate = 0;
    const status: Record<string, number> = {};
    for (; i < n && (c.start[i] as number) < to; i++) {
      hits += c.hits[i] as number;
      bytes += c.bytes[i] as number;
      invalid += c.invalid[i] as number;
      late += c.late[i] as number;
      clients = Math.max(clients, c.clients[i] as number);
      rate = Math.max(rate, c.rate[i] as number);
      for (const [k, col] of c.status) {
        const v = col[i] as number;
        if (v !== 0) status[k] = (status[k] ?? 0) + v;
      }
    }
    out.push({
      start: iso(from),
      end: iso(to),
      hits,
      bytes,
      clients,
      status: sortedKeys(status),
      invalid,
      late,
      rate: Math.round(rate * 100) / 100,
    });
  }
  return out;
}

function sortedKeys(record: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(record).sort()) out[k] = record[k] as number;
  return out;
}
