export { monitor, monitorParsed, type MonitorOptions } from './monitor.js';
export type { LineTotals } from './engineState.js';
export { readLogFile, readLogStream } from './readLogFile.js';
export { followLog, type FollowLogOptions } from './follow/followLog.js';
export { monitorFile, type MonitorFileOptions } from './monitorFile.js';
export { monitorFiles, type MonitorFilesOptions } from './monitorFiles.js';
export { readAnyLogFile } from './source/readAnyLogFile.js';
export { tailFile, tailLines, readLines, readLineBatches, OVERLONG_LINE, isOverlongLine, type TailFileOptions, type TailChunk, type FilePosition } from './source/index.js';
export { MonitorOptionsError, SinkError } from './errors.js';
export { formatJson } from './sinks/jsonFormat.js';
export { formatText, formatAlert } from './sinks/textFormat.js';
export { escapeControl } from './sinks/escapeControl.js';
export type {
  AccessRecord,
  InvalidLine,
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
