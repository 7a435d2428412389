/**
 * The engine and its entry points: `monitor` (any Observable of lines or line chunks),
 * `monitorParsed` (record batches, e.g. after a stage of your own), `monitorFiles` (the file
 * engine: one file or several, read once or followed, with checkpoints) and `followLog` (one
 * followed file: `monitorFiles([path], { follow: true })`), the sources
 * (`readLogFile`, `readLogStream`: line chunks), the output formats, the error classes and the
 * checkpoint helpers. Durations are milliseconds.
 *
 * @module apachescan
 */
export { monitor, monitorParsed, type MonitorOptions } from './engine/monitor.js';
export type { LineTotals, EngineState, EngineSettings, EngineProgress, OpenInterval } from './engine/engineState.js';
export type { WindowingState } from './core/eventTimeWindowing.js';
export type { FileChunksOptions } from './source/fileChunks.js';
export type { HysteresisState } from './core/alertHysteresis.js';
export type { PendingCounts } from '../operators/windowStats.js';
export { readLogFile, readLogStream } from './source/readLogFile.js';
export { RecordBatch } from './parse/recordBatch.js';
export type { RowView } from './core/rowView.js';
export type { LineChunk } from './source/lineChunk.js';
export type { LineParser } from './parse/logFormat.js';
export { followLog, type FollowLogOptions } from './engine/follow/followLog.js';
export { loadFollowCheckpoint, checkFollowCheckpoint } from './engine/follow/loadFollowCheckpoint.js';
export { isFollowCheckpoint, type FollowCheckpoint, type FileProgress } from './engine/follow/checkpointData.js';
export { defaultCheckpointPath } from './engine/checkpoint/checkpointPath.js';
export { monitorFiles, type MonitorFilesOptions } from './engine/monitorFiles.js';
export { readAnyLogFile } from './source/readAnyLogFile.js';
export { tailFile, tailLines, OVERLONG_LINE, isOverlongLine, type TailFileOptions, type TailChunk, type FilePosition } from './source/index.js';
export { ApachescanError, MonitorOptionsError, LogFormatError, FileError, CheckpointError, SinkError } from './errors.js';
export { formatJson } from './sinks/jsonFormat.js';
export { formatText, formatAlert } from './sinks/textFormat.js';
export { escapeControl } from './sinks/escapeControl.js';
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
// Outputs (sinks): one interface, the plain writer, the alert sinks, and the runner that
// connects them to the events. Prometheus and InfluxDB: `apachescan/prometheus`, `apachescan/influx`.
export type { Sink, SinkReport } from './sinks/sink.js';
export { connectSinks, type ConnectSinksOptions } from './sinks/connectSinks.js';
export { createTextSink, type TextSinkOptions, type TextStream } from './sinks/textSink.js';
export { createAlertmanagerPusher, type AlertmanagerPusher, type AlertmanagerOptions, type AlertmanagerStats, type AlertmanagerUrlStats } from './sinks/alertmanager/index.js';
export { createAlertCommand, type AlertCommand, type AlertCommandOptions, type AlertCommandStats } from './sinks/command/index.js';
