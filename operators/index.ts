/**
 * The engine's custom RxJS operators, each usable alone on a plain `Observable<string>`:
 * `parseAccessLog` -> `eventTimeWindows` -> `windowStats` -> `trafficAlert`. They read time
 * only from an injected scheduler, so they run under `TestScheduler`.
 *
 * @module apachescan/operators
 */
export { parseAccessLog, type ParseAccessLogOptions } from './parseAccessLog.js';
export { eventTimeWindows, type EventTimeWindowsOptions } from './eventTimeWindows.js';
export { windowStats, type WindowStatsOptions } from './windowStats.js';
export { trafficAlert, type TrafficAlertOptions } from './trafficAlert.js';
export type { IntervalHits } from '../src/core/alertHysteresis.js';
export { ApachescanError, MonitorOptionsError, LogFormatError } from '../src/errors.js';
