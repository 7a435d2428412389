/**
 * The engine and its entry points. Read a log once: `readLogFile` (line chunks) into
 * `monitor`, or `monitorFiles` (several files, gzip, history). Follow logs: `followLog` (one
 * followed file, with checkpoints), `monitorFiles` with `follow: true`, or `tailLogFile` (line
 * chunks of a growing file). Then the output formats and sinks, the checkpoint load-and-check
 * and the error classes. The operators are in `apachescan/operators`; the Prometheus exporter
 * and the InfluxDB writer in `apachescan/prometheus` and `apachescan/influx`. Durations are
 * milliseconds.
 *
 * @packageDocumentation
 * @module apachescan
 */
// Read a log
export { monitor, monitorParsed, type MonitorOptions } from './engine/monitor.js';
export { readLogFile, type ReadLogFileOptions } from './source/readLogFile.js';
export type { LineTotals, EngineProgress, OpenInterval } from './engine/engineState.js';
export type { RecordBatch } from './parse/recordBatch.js';
export type { RowView } from './core/rowView.js';
export type { LineChunk } from './source/lineChunk.js';
// Follow logs
export { monitorFiles, type MonitorFilesOptions } from './engine/monitorFiles.js';
export { followLog, type FollowLogOptions } from './engine/follow/followLog.js';
export { tailLogFile, type TailLogFileOptions } from './source/tailLogFile.js';
export type { FilePosition } from './source/fileIdentity.js';
// Checkpoints
export { loadFollowCheckpoint, checkFollowCheckpoint } from './engine/follow/loadFollowCheckpoint.js';
export type { FollowCheckpoint, FileProgress, CheckpointOutbox } from './engine/follow/checkpointData.js';
// Errors
export { ApachescanError, MonitorOptionsError, LogFormatError, FileError, CheckpointError, SinkError } from './errors.js';
// Events and their formats
export { formatJson } from './sinks/jsonFormat.js';
export { formatText } from './sinks/textFormat.js';
export type {
  AccessRecord,
  InvalidLine,
  InvalidReason,
  InvalidCounts,
  ParsedLine,
  ClosedWindow,
  LateRecord,
  WindowOutput,
  SectionHits,
  StatsEvent,
  AlertEvent,
  AlertState,
  SummaryEvent,
  MonitorEvent,
  RuleValue,
  RuleIntervalData,
} from './types.js';
// Alert rules as plain data, and the `--rule` syntax (the operator: `ruleAlerts` in `apachescan/operators`).
export { parseRule, ruleOf } from './core/rules/parseRule.js';
export type { Rule, RuleFilter, RuleKind } from './core/rules/rule.js';
export type { RuleState, SavedRuleState } from './core/rules/ruleState.js';
export type { RuleFold, RuleAccumulator } from './core/rules/ruleFold.js';
export type { LatencySketch } from './core/rules/latencySketch.js';
// Sinks: one interface, the plain writer, the alert sinks, and the runner that connects them to
// the events. Prometheus and InfluxDB: `apachescan/prometheus`, `apachescan/influx`.
export type { Sink, SinkOutbox, SinkReport } from './sinks/sink.js';
export { sinkOutbox, type SinksOutbox } from './sinks/sinkOutbox.js';
export { connectSinks, type ConnectSinksOptions } from './sinks/connectSinks.js';
export { createTextSink, type TextSinkOptions, type TextStream } from './sinks/textSink.js';
export {
  createAlertmanagerPusher,
  type AlertmanagerPusher,
  type AlertmanagerOptions,
  type AlertmanagerStats,
  type AlertmanagerUrlStats,
} from './sinks/alertmanager/index.js';
export { createAlertCommand, type AlertCommand, type AlertCommandOptions, type AlertCommandStats } from './sinks/command/index.js';
