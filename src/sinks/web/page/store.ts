import { timeOf, type AlertJson, type EventJson, type PageMeta, type StatsJson, type SummaryJson } from '../model/eventJson.js';
import type { ReportData, TotalsJson } from '../model/reportData.js';
import { RollingRate } from '../model/rollingRate.js';
import { addToTotals, createTotals, topOf } from '../model/totals.js';

/** One point of the charts: an interval (exact) or a bucket of a report. */
export interface Row {
  readonly start: number;
  readonly end: number;
  readonly hits: number;
  readonly bytes: number;
  readonly clients: number;
  readonly status: Readonly<Record<string, number>>;
  readonly invalid: number;
  readonly late: number;
  /** Alert rate at the end (a bucket: its peak), requests/s. */
  readonly rate: number;
}

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'stopped' | 'report';

/** Everything the page shows, from the events (live) or the embedded data (report). */
export interface Store {
  meta: PageMeta | undefined;
  rows: Row[];
  /** Live: the exact stats events held (the shown period). */
  stats: StatsJson[];
  alerts: AlertJson[];
  summary: SummaryJson | undefined;
  connection: Connection;
  /** Live: the open interval and the time since the last line, from the server. */
  progress: { open?: { start: string; hits: number }; idle?: number; at: number } | undefined;
  /** The report's precomputed tables. */
  report: ReportData | undefined;
  rate: RollingRate | undefined;
  /** Bucket size of the charts, seconds, when they are not intervals. */
  bucketSize: number | undefined;
}

/** The live page keeps this much of the past (what the server retains). */
const RETAIN_MS = 3_600_000;
const MAX_ROWS = 3600;

export function emptyStore(): Store {
  return {
    meta: undefined,
    rows: [],
    stats: [],
    alerts: [],
    summary: undefined,
    connection: 'connecting',
    progress: undefined,
    report: undefined,
    rate: undefined,
    bucketSize: undefined,
  };
}

/** A reconnecting page gets the retained past again: start over. */
export function reset(store: Store): void {
  store.rows = [];
  store.stats = [];
  store.alerts = [];
  store.summary = undefined;
  store.rate = store.meta === undefined ? undefined : new RollingRate(store.meta.alertWindow * 1000);
}

export function setMeta(store: Store, meta: PageMeta): void {
  store.meta = meta;
  store.rate = new RollingRate(meta.alertWindow * 1000);
}

/** Applies one event as NDJSON gives it. */
export function apply(store: Store, event: EventJson): void {
  if (event.type === 'alert') store.alerts.push(event);
  else if (event.type === 'summary') store.summary = event;
  else {
    const start = timeOf(event.start);
    const end = timeOf(event.end);
    const rate = store.rate?.push(start, end, event.hits) ?? 0;
    store.rows.push({
      start,
      end,
      hits: event.hits,
      bytes: event.bytes,
      clients: event.clients,
      status: event.status,
      invalid: event.invalid,
      late: event.late,
      rate,
    });
    store.stats.push(event);
    let drop = 0;
    while (drop < store.rows.length && (store.rows.length - drop > MAX_ROWS || (store.rows[drop] as Row).end <= end - RETAIN_MS)) drop++;
    if (drop > 0) {
      store.rows.splice(0, drop);
      store.stats.splice(0, drop);
    }
  }
}

/** Loads a report's data. */
export function loadReport(store: Store, data: ReportData): void {
  store.meta = data.meta;
  store.report = data;
  store.connection = 'report';
  store.alerts = [...data.alerts];
  store.summary = data.summary;
  if (data.intervals.length > 0 || data.buckets.length === 0) {
    store.rate = new RollingRate(data.meta.alertWindow * 1000);
    for (const s of data.intervals) apply(store, s);
    store.stats = [];
  } else {
    store.bucketSize = data.bucketSize;
    store.rows = data.buckets.map((b) => ({
      start: timeOf(b.start),
      end: timeOf(b.end),
      hits: b.hits,
      bytes: b.bytes,
      clients: b.clients,
      status: b.status,
      invalid: b.invalid,
      late: b.late,
      rate: b.rate,
    }));
  }
}

/** The tables' totals: the report's (whole run, exact), or over the stats the live page holds. */
export function totalsOf(store: Store): TotalsJson {
  if (store.report !== undefined) return store.report.totals;
  const t = createTotals();
  for (const s of store.stats) addToTotals(t, s, s.clients, timeOf(s.start), timeOf(s.end));
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    intervals: t.intervals,
    hits: t.hits,
    bytes: t.bytes,
    invalid: t.invalid,
    late: t.late,
    peakClients: t.peakClients,
    peakHits: t.peakHits,
    status: t.status,
    invalidReasons: t.invalidReasons,
    sections: topOf(t.sections, 20),
    by: topOf(t.by, 20),
    ...(t.first === undefined ? {} : { first: iso(t.first) }),
    ...(t.last === undefined ? {} : { last: iso(t.last) }),
  };
}

/** The newest interval, exact. */
export function lastInterval(store: Store): StatsJson | undefined {
  return store.report?.lastInterval ?? store.stats[store.stats.length - 1];
}

/** The alert transitions still firing (one per rule), newest first. */
export function firing(store: Store): AlertJson[] {
  const last = new Map<string, AlertJson>();
  for (const a of store.alerts) last.set(a.rule ?? '', a);
  return [...last.values()].filter((a) => a.state === 'firing').reverse();
}
