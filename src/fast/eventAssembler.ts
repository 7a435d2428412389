/**
 * The back half of `monitor` without record objects: parsed fields in, the same
 * `MonitorEvent` sequence out. It runs on the engine's own state (src/engineState.ts, built
 * from the same settings): windows as in `eventTimeWindows` (including `maxFuture`), stats as
 * in `windowStats` (invalid and late lines since the previous stats event), alerts as in
 * `trafficAlert` (each stats event, then its transition if any), totals as in `monitor`.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { MonitorEvent } from '../types.js';
import { evaluateAlert } from '../core/alertHysteresis.js';
import { createEngineState, type EngineState } from '../engineState.js';
import { settingsOf, summaryOf, type MonitorOptions } from '../monitor.js';
import { AggregateWindows } from './aggregateWindowing.js';
import type { ParsedFields } from './parsedFields.js';
import { WindowTally, tallyRecord, tallyStats } from './windowTally.js';

export class EventAssembler {
  readonly state: EngineState;
  private readonly windows: AggregateWindows<WindowTally>;
  private readonly top: number;
  private readonly maxFuture: number | undefined;
  private readonly scheduler: SchedulerLike;
  /** `scheduler.now() + maxFuture`, refreshed by `tick` (see there). */
  private futureFrom = Infinity;

  constructor(
    options: MonitorOptions,
    private readonly emit: (event: MonitorEvent) => void,
  ) {
    this.state = createEngineState(settingsOf(options));
    this.top = options.top ?? 5;
    this.maxFuture = options.maxFuture;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.windows = new AggregateWindows(this.state.windowing, () => new WindowTally(), (start, end, tally, skipped) => {
      const pending = this.state.pending;
      const stats = tallyStats(start, end, tally, this.top, pending.invalid, pending.late, skipped);
      pending.invalid = 0;
      pending.late = 0;
      this.emit(stats);
      const transition = evaluateAlert(this.state.alert, stats);
      if (transition !== undefined) this.emit(transition);
    });
    this.tick();
  }

  /**
   * Reads the clock for `maxFuture`. The reference reads it for every line; reading it once per
   * chunk of lines (a millisecond or so of processing time) only matters for a line dated
   * within that millisecond of the limit.
   */
  tick(): void {
    if (this.maxFuture !== undefined) this.futureFrom = this.scheduler.now() + this.maxFuture;
  }

  /** One parsed line: time, status and bytes from `fields`, with its host and section. */
  record(fields: ParsedFields, host: string, section: string): void {
    const time = fields.time;
    if (time > this.futureFrom) return this.invalidLine();
    const totals = this.state.totals;
    totals.lines++;
    totals.parsed++;
    const windows = this.windows;
    const tally = windows.bucketFor(time);
    if (tally === undefined) {
      totals.late++;
      this.state.pending.late++;
      return;
    }
    tallyRecord(tally, host, section, fields.status, fields.bytes);
    windows.observeTime(time);
  }

  /** One non-blank line that did not parse. */
  invalidLine(): void {
    this.state.totals.lines++;
    this.state.totals.invalid++;
    this.state.pending.invalid++;
  }

  /** End of input: flush every window, then the summary. */
  finish(): void {
    this.windows.flush();
    this.emit(summaryOf(this.state.totals));
  }
}
