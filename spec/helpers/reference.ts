import { type Observable, asyncScheduler, concat, defer, map, of, tap } from 'rxjs';
import { parseAccessLog } from '../../operators/parseAccessLog.js';
import { eventTimeWindowsOnState } from '../../operators/eventTimeWindows.js';
import { windowStatsOnState } from '../../operators/windowStats.js';
import { trafficAlertOnState } from '../../operators/trafficAlert.js';
import { createEngineState } from '../../src/engine/engineState.js';
import { settingsOf, summaryOf, type MonitorOptions } from '../../src/engine/monitor.js';
import { countReason } from '../../src/invalidReasons.js';
import type { MonitorEvent, StatsEvent, WindowOutput } from '../../src/types.js';

/**
 * The reference engine for equivalence specs: the four operators composed one value at a
 * time, with `map` hops that hide every batch view, so each line goes through the string
 * parser as a record object and is folded into its window by name. `monitor` on a source with
 * a batch view (the byte parser, record batches, ids) must give exactly these events.
 */
export function referenceMonitor(lines$: Observable<string>, options: MonitorOptions = {}): Observable<MonitorEvent> {
  return defer(() => {
    const state = createEngineState(settingsOf(options));
    const { format = 'auto', top = 5, maxFuture, idleTimeout, scheduler = asyncScheduler } = options;
    const count = (item: WindowOutput): void => {
      const n = item.type === 'window' ? item.hits : 1;
      state.totals.lines += n;
      if (item.type !== 'invalid') state.totals.parsed += n;
      if (item.type === 'invalid') {
        state.totals.invalid++;
        countReason(state.totals.invalidReasons, item.reason);
      }
      if (item.type === 'late') state.totals.late++;
    };
    const events$ = lines$.pipe(
      map((line) => line),
      parseAccessLog({ format }),
      map((parsed) => parsed),
      eventTimeWindowsOnState({
        state: state.windowing,
        scheduler,
        ...(maxFuture === undefined ? {} : { maxFuture }),
        ...(idleTimeout === undefined ? {} : { idleTimeout }),
      }),
      tap(count),
      windowStatsOnState({ top, pending: state.pending }),
      trafficAlertOnState<StatsEvent>({ state: state.alert }),
    );
    return concat(
      events$,
      defer(() => of<MonitorEvent>(summaryOf(state.totals))),
    );
  });
}
