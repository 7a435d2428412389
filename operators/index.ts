export { parseAccessLog, type ParseAccessLogOptions } from './parseAccessLog.js';
export { eventTimeWindows, type EventTimeWindowsOptions } from './eventTimeWindows.js';
export { windowStats, type WindowStatsOptions } from './windowStats.js';
export { trafficAlert, type TrafficAlertOptions } from './trafficAlert.js';
export { ApachescanError, MonitorOptionsError, LogFormatError } from '../src/errors.js';
