/**
 * The engine's custom RxJS operators: `parseAccessLog` -> `eventTimeWindows` -> `windowStats`
 * -> `trafficAlert`, with `mergeByTime` (several sources in event time), `eventTimeRange` and
 * `filterRows` (stages between the parser and the windows) and the adapters `toLines` and
 * `toRecords` (one value per line, for consumers that want objects).
 *
 * What flows between them is in plain sight: sources give line chunks (`LineChunk`, or plain
 * strings from any `Observable<string>`), the parser gives record batches (`RecordBatch`,
 * parsed lines in columns), the windows give closed windows and late and invalid lines. Every
 * operator works on any source, and a standard RxJS operator between two of ours (`tap`,
 * `map`, `filter`) sees the batches themselves, so the speed is kept. Batches are lent: valid
 * during the `next` call that delivers them. The operators read time only from an injected
 * scheduler, so they run under `TestScheduler`.
 *
 * @packageDocumentation
 * @module apachescan/operators
 */
export { parseAccessLog, type ParseAccessLogOptions } from './parseAccessLog.js';
export { eventTimeWindows, type EventTimeWindowsOptions } from './eventTimeWindows.js';
export { windowStats, type WindowStatsOptions } from './windowStats.js';
export { trafficAlert, type TrafficAlertOptions } from './trafficAlert.js';
export { mergeByTime, type MergeByTimeOptions } from './mergeByTime.js';
export { eventTimeRange, type EventTimeRangeOptions, type OutOfRangeCount } from './eventTimeRange.js';
export { filterRows, type FilterRowsOptions, type DroppedCount } from './filterRows.js';
export { toRecords } from './toRecords.js';
export { toLines } from './toLines.js';
export type { RecordBatch } from '../src/parse/recordBatch.js';
export type { RowView } from '../src/core/rowView.js';
export type { LineChunk } from '../src/source/lineChunk.js';
export type { IntervalHits } from '../src/core/alertHysteresis.js';
export { ruleAlerts, type RuleAlertsOptions } from './ruleAlerts.js';
export type { Rule, RuleFilter, RuleKind } from '../src/core/rules/rule.js';
