/**
 * The engine and its entry points: `monitor` (any Observable of lines), `monitorFile` (a
 * whole file, fast), `followLog` (a live file, with checkpoints), the file sources, the
 * output formats, the error classes and the checkpoint helpers. Durations are milliseconds.
 *
 * @module apachescan
 */
export { monitor, monitorParsed, type MonitorOptions } from './monitor.js';
export type { LineTotals, EngineState, EngineSettings } from './engineState.js';
export type { WindowingState } from './core/eventTimeWindowing.js';
export type { FileChunksOptions } from './source/fileChunks.js';
export type { HysteresisState } from './core/alertHysteresis.js';
export type { PendingCounts } from '../operators/windowStats.js';
export { readLogFile, readLogStream } from './readLogFile.js';
export { followLog, type FollowLogOptions } from './follow/followLog.js';
export { loadFollowCheckpoint, checkFollowCheckpoint } from './follow/loadFollowCheckpoint.js';
export { isFollowCheckpoint, type FollowCheckpoint } from './follow/checkpointData.js';
export { defaultCheckpointPath } from './checkpoint/checkpointPath.js';
export { monitorFile, type MonitorFileOptions } from './monitorFile.js';
export { monitorFiles, type MonitorFilesOptions } from './monitorFiles.js';
export type { FilesCheckpoint, FileProgress } from './follow/filesProgress.js';
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
} from './types.js';
