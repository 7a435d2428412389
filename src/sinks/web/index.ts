/**
 * The web page of the traffic: a sink that serves it live (Server-Sent Events on the same
 * port, the last hour first), and the self-contained HTML report of a run. The CLI's
 * `--serve` and `--report`.
 *
 * @module apachescan/web
 */
export { startWebSink, isLoopback, type WebSink, type WebSinkOptions, type WebProgress } from './webSink.js';
export { createReportSink, writeReport, renderReport, reportData, type ReportSink, type ReportMeta } from './report.js';
export type { MetricsHandler } from './webServer.js';
export type { HistoryOptions } from './history.js';
export { EventHistory } from './history.js';
export type { PageMeta, StatsJson, AlertJson, SummaryJson, EventJson, NamedHits } from './model/eventJson.js';
export { ReportBuilder, EXACT_INTERVALS, MAX_BUCKETS, type ReportData, type BucketJson, type TotalsJson } from './model/reportData.js';
export type { IntervalFigures } from './model/totals.js';
export { parseListenAddress, formatListenAddress, DEFAULT_HOST, type ListenAddress } from '../prometheus/listenAddress.js';
export { SinkError } from '../../errors.js';
export type { Sink, SinkReport } from '../sink.js';
