import { timeOf, type AlertJson, type EventJson, type NamedHits, type PageMeta, type StatsJson, type SummaryJson } from './eventJson.js';
import { CHUNK_ROWS, Column } from './column.js';
import { IntervalRows } from './intervalRows.js';
import { LineStore } from './lineStore.js';
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
  readonly rows: IntervalRows;
  /** Hits per status class, by class. */
  readonly status: Map<string, Column>;
}

/** An interval the report may show exactly: its hits, and its NDJSON line, made only when the report is built. */
interface KeptInterval {
  readonly hits: number;
  readonly line: () => string;
}

/**
 * Collects a run's events (NDJSON objects) and builds the report's data: exact while small,
 * buckets of a round size beyond. Memory: a few numbers per interval (off the JS heap), the
 * alerts, the tables. Per interval it allocates nothing that outlives the call but what it
 * keeps (the first {@link EXACT_INTERVALS}, the busiest): a replay of millions of lines keeps
 * the garbage collector's work (and the process's memory) as it is without the report.
 */
export class ReportBuilder {
  private readonly cols: Columns = { rows: new IntervalRows(), status: new Map() };
  private exact: LineStore | undefined = new LineStore();
  private readonly alerts: AlertJson[] = [];
  private summary: SummaryJson | undefined;
  private readonly totals: Totals = createTotals();
  private readonly busiest: KeptInterval[] = [];
  private lastLine: (() => string) | undefined;
  private readonly rate: RollingRate;

  constructor(private readonly meta: PageMeta) {
    this.rate = new RollingRate(meta.alertWindow * 1000);
  }

  /** Adds an event as NDJSON gives it. */
  add(event: EventJson): void {
    if (event.type === 'alert') this.alerts.push(event);
    else if (event.type === 'summary') this.summary = event;
    else this.addStats(event, event.clients, timeOf(event.start), timeOf(event.end), () => JSON.stringify(event));
  }

  /**
   * One stats event from its figures, distinct clients and times (ms); `line` gives its NDJSON
   * line, asked for only for the intervals the report may show exactly (the first
   * {@link EXACT_INTERVALS}, then the busiest and the last, at build): a long replay formats no
   * JSON per interval. `stats` itself is not kept.
   */
  addStats(stats: IntervalFigures, clients: number, start: number, end: number, line: () => string): void {
    const { hits } = stats;
    const row = this.cols.rows.append(start, end, hits, stats.bytes, clients, stats.invalid, stats.late, this.rate.push(start, end, hits));
    // A class first seen late reads 0 in the rows before (a column's unset rows).
    for (const k in stats.status) this.statusColumn(k).set(row, stats.status[k] as number);
    addToTotals(this.totals, stats, clients, start, end);
    this.lastLine = line;
    // The rare paths in functions of their own (the common one stays small to compile).
    if (this.exact !== undefined) this.keepExact(line);
    const b = this.busiest;
    if (b.length < TABLE_ROWS || hits > (b[b.length - 1] as KeptInterval).hits) this.keepBusiest(hits, line);
  }

  private statusColumn(k: string): Column {
    let col = this.cols.status.get(k);
    if (col === undefined) {
      col = new Column();
      this.cols.status.set(k, col);
    }
    return col;
  }

  private keepExact(line: () => string): void {
    if (this.exact === undefined) return;
    if (this.exact.length < EXACT_INTERVALS) this.exact.push(line());
    else this.exact = undefined;
  }

  /** Inserts after those with as many hits (a stable sort's order), drops the 21st. */
  private keepBusiest(hits: number, line: () => string): void {
    const b = this.busiest;
    let i = b.length;
    while (i > 0 && (b[i - 1] as KeptInterval).hits < hits) i--;
    b.splice(i, 0, { hits, line });
    if (b.length > TABLE_ROWS) b.length = TABLE_ROWS;
  }

  /** The report's data of what was added so far. */
  build(): ReportData {
    const json = (line: string): StatsJson => JSON.parse(line) as StatsJson;
    const last = this.lastLine === undefined ? undefined : json(this.lastLine());
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
      intervals: this.exact?.lines().map(json) ?? [],
      buckets: size === undefined ? [] : buckets(this.cols, size * 1000, iso),
      ...(size === undefined ? {} : { bucketSize: size }),
      alerts: this.alerts,
      ...(this.summary === undefined ? {} : { summary: this.summary }),
      totals,
      busiest: this.busiest.map((b) => json(b.line())),
      ...(last === undefined ? {} : { lastInterval: last }),
    };
  }
}

/** The smallest round size, a multiple of the interval, that makes at most {@link MAX_BUCKETS} buckets. */
export function bucketSize(cols: Pick<Columns, 'rows'>, interval: number): number {
  const rows = cols.rows;
  const n = rows.rows;
  const span = n === 0 ? 0 : ((rows.chunkOf(n - 1).end[(n - 1) % CHUNK_ROWS] as number) - (rows.chunkOf(0).start[0] as number)) / 1000;
  for (const size of BUCKET_SIZES) if (size % interval === 0 && span / size <= MAX_BUCKETS) return size;
  return Math.max(interval, Math.ceil(span / MAX_BUCKETS / interval) * interval);
}

function buckets(c: Columns, size: number, iso: (ms: number) => string): BucketJson[] {
  const out: BucketJson[] = [];
  // Status classes in order, their columns beside: a bucket lists those with hits.
  const classes = [...c.status.keys()].sort();
  const columns = classes.map((k) => c.status.get(k) as Column);
  const sums = new Float64Array(classes.length);
  const rows = c.rows;
  const n = rows.rows;
  let i = 0;
  while (i < n) {
    const from = Math.floor((rows.chunkOf(i).start[i % CHUNK_ROWS] as number) / size) * size;
    const to = from + size;
    let hits = 0,
      bytes = 0,
      clients = 0,
      invalid = 0,
      late = 0,
      rate = 0;
    sums.fill(0);
    for (; i < n; i++) {
      const r = rows.chunkOf(i);
      const at = i % CHUNK_ROWS;
      if ((r.start[at] as number) >= to) break;
      hits += r.hits[at] as number;
      bytes += r.bytes[at] as number;
      invalid += r.invalid[at] as number;
      late += r.late[at] as number;
      clients = Math.max(clients, r.clients[at] as number);
      rate = Math.max(rate, r.rate[at] as number);
      for (let k = 0; k < columns.length; k++) sums[k] = (sums[k] as number) + (columns[k] as Column).get(i);
    }
    const status: Record<string, number> = {};
    for (let k = 0; k < classes.length; k++) if (sums[k] !== 0) status[classes[k] as string] = sums[k] as number;
    out.push({
      start: iso(from),
      end: iso(to),
      hits,
      bytes,
      clients,
      status,
      invalid,
      late,
      rate: Math.round(rate * 100) / 100,
    });
  }
  return out;
}
