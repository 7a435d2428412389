/**
 * The back half of `monitor` without record objects: parsed fields in, the same
 * `MonitorEvent` sequence out. It runs on the engine's own state (src/engineState.ts, built
 * from the same settings): windows as in `eventTimeWindows` (including `maxFuture`), stats as
 * in `windowStats` (invalid and late lines since the previous stats event), alerts as in
 * `trafficAlert` (each stats event, then its transition if any), totals as in `monitor`.
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { InvalidReason, MonitorEvent } from '../types.js';
import { countReason } from '../invalidReasons.js';
import { evaluateAlert } from '../core/alertHysteresis.js';
import { createEngineState, type EngineState } from '../engineState.js';
import { settingsOf, summaryOf, type MonitorOptions } from '../monitor.js';
import { AggregateWindows } from './aggregateWindowing.js';
import type { ParsedFields } from './parsedFields.js';
import { WindowTally, renameHosts, renameSections, tallyRecord, tallyStats, type IdNames } from './windowTally.js';

const NO_NAMES: IdNames = {
  nameOf: () => {
    throw new Error('EventAssembler: ids before useNames');
  },
};

export class EventAssembler {
  readonly state: EngineState;
  private readonly windows: AggregateWindows<WindowTally>;
  private readonly top: number;
  private readonly maxFuture: number | undefined;
  private readonly scheduler: SchedulerLike;
  private names = { hosts: NO_NAMES, sections: NO_NAMES };
  /** `scheduler.now() + maxFuture`, refreshed by `tick` (see there). */
  private futureFrom = Infinity;
  /** Tallies of closed windows, for reuse. */
  private readonly pool: WindowTally[] = [];

  constructor(
    options: MonitorOptions,
    private readonly emit: (event: MonitorEvent) => void,
  ) {
    this.state = createEngineState(settingsOf(options));
    this.top = options.top ?? 5;
    this.maxFuture = options.maxFuture;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.windows = new AggregateWindows(this.state.windowing, () => this.pool.pop() ?? new WindowTally(), (start, end, tally, skipped) => {
      const pending = this.state.pending;
      const reasons = pending.invalidReasons;
      const stats = tallyStats({ start, end, skipped }, tally, this.names, { top: this.top, invalid: pending.invalid, late: pending.late, invalidReasons: reasons ?? {} });
      pending.invalid = 0;
      pending.late = 0;
      if (reasons !== undefined) for (const reason of Object.keys(reasons)) delete reasons[reason];
      if (tally !== undefined && this.pool.length < 64) {
        tally.reset();
        this.pool.push(tally);
      }
      this.emit(stats);
      const transition = evaluateAlert(this.state.alert, stats);
      if (transition !== undefined) this.emit(transition);
    });
    this.tick();
  }

  /** Where the host and section ids of `record` get their names. */
  useNames(hosts: IdNames, sections: IdNames): void {
    this.names = { hosts, sections };
  }

  /** The host (or section) ids are about to name other strings: open windows switch to names. */
  beforeNewHostIds(): void {
    this.windows.forEachOpen((tally) => renameHosts(tally, this.names.hosts));
  }

  beforeNewSectionIds(): void {
    this.windows.forEachOpen((tally) => renameSections(tally, this.names.sections));
  }

  /**
   * Reads the clock for `maxFuture`. The reference reads it for every line; reading it once per
   * chunk of lines (a millisecond or so of processing time) only matters for a line dated
   * within that millisecond of the limit.
   */
  tick(): void {
    if (this.maxFuture !== undefined) this.futureFrom = this.scheduler.now() + this.maxFuture;
  }

  /** One parsed line. */
  record(fields: ParsedFields): void {
    const time = fields.time;
    if (time > this.futureFrom) return this.invalidLine('future_time');
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
    tallyRecord(tally, fields.hostId, fields.sectionId, fields.status, fields.bytes);
    windows.observeTime(time);
  }

  /**
   * The window of the newest event time and its hits so far: what `openInterval` (src/engineState.ts)
   * reads from the engine state, which here holds no records.
   */
  peek(): { start: number; hits: number } | undefined {
    const { windowing } = this.state;
    if (!Number.isFinite(windowing.maxTime)) return undefined;
    const start = Math.floor(windowing.maxTime / windowing.interval) * windowing.interval;
    return { start, hits: this.windows.openAt(start)?.hits ?? 0 };
  }

  /** One non-blank line that did not parse. */
  invalidLine(reason: InvalidReason): void {
    const { totals, pending } = this.state;
    totals.lines++;
    totals.invalid++;
    pending.invalid++;
    countReason(totals.invalidReasons, reason);
    countReason((pending.invalidReasons ??= {}), reason);
  }

  /** End of input: flush every window, then the summary. */
  finish(): void {
    this.windows.flush();
    this.emit(summaryOf(this.state.totals));
  }
}
