export { parseAccessLog, type ParseAccessLogOptions } from './parseAccessLog.js';
export { eventTimeWindows, type EventTimeWindowsOptions } from './eventTimeWindows.js';
export { windowStats, type WindowStatsOptions } from './windowStats.js';
export { trafficAlert, type TrafficAlertOptions } from './trafficAlert.js';
export { mergeByTime, type MergeByTimeOptions } from './mergeByTime.js';
export { eventTimeRange, type EventTimeRangeOptions, type OutOfRangeCount } from './eventTimeRange.js';
