/**
 * The web page of the traffic: a sink that serves it live (Server-Sent Events on the same
 * port, the last hour first), and the self-contained HTML report of a run. The CLI's
 * `--serve` and `--report`.
 *
 * @packageDocumentation
 * @module apachescan/web
 */
export { startWebSink, type WebSink, type WebSinkOptions, type WebProgress } from './webSink.js';
export { createReportSink, writeReport, type ReportSink, type ReportMeta } from './report.js';
export type { MetricsHandler } from './webServer.js';
export type { HistoryOptions } from './history.js';
export type { PageMeta, RuleKindJson, RuleMetaJson } from './model/eventJson.js';
export type { ListenAddress } from '../prometheus/listenAddress.js';
export type { Sink, SinkReport } from '../sink.js';
