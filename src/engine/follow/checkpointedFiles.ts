import { Observable, type SchedulerLike } from 'rxjs';
import type { EngineState } from '../engineState.js';
import { heldSummary, monitorParsedWithState, type MonitorOptions } from '../monitor.js';
import { BatchedSaves } from '../checkpoint/batchedSaves.js';
import type { MonitorEvent } from '../../types.js';
import type { CheckpointContext, CheckpointOutbox, FollowCheckpoint } from './checkpointData.js';
import type { FilesProgress } from './filesProgress.js';
import type { RecordBatch } from '../../parse/recordBatch.js';

/**
 * Follow mode with a checkpoint, for one file or several: the engine on `state` (restored or
 * fresh); every file's progress and the state are saved together, batched: with reports at
 * most every 250 ms, without at least once a second while lines come, and the count of reports
 * sent kept current in place between saves, so that a restart from an older save (`saved`)
 * holds back what already went out.
 *
 * On `stop`, the one stop behaviour: a last save; then the open windows are kept for the next
 * run and the summary follows (with `held`, the lines they hold). When that save fails (disk
 * full, read-only), the same, with a warning: the next run reads again from the last save
 * that succeeded and reports those windows whole (never half full now and held back then).
 */
export function checkpointed(
  merged$: Observable<RecordBatch>,
  progress: FilesProgress,
  state: EngineState,
  options: MonitorOptions & {
    checkpoint: { path: string; saved?: FollowCheckpoint | undefined };
    ctx: CheckpointContext;
    scheduler: SchedulerLike;
    stop?: Observable<unknown>;
    onWarning?: (message: string) => void;
    /** Outputs' units not yet acknowledged, saved with the checkpoint and handed back on resume. */
    outbox?: CheckpointOutbox | undefined;
  },
  finish: (event: MonitorEvent) => MonitorEvent,
): Observable<MonitorEvent> {
  const { scheduler } = options;
  return new Observable<MonitorEvent>((subscriber) => {
    const saved = options.checkpoint.saved;
    const { outbox } = options;
    if (saved !== undefined) outbox?.resume(saved.outbox ?? {});
    const saves = new BatchedSaves({
      path: options.checkpoint.path,
      resumed: saved,
      scheduler,
      onWarning: options.onWarning,
      snapshot: (reports) => progress.checkpoint(options.ctx, reports, outbox?.units()),
    });
    let inLine = false;
    // The engine folds a whole batch, then every file's progress moves past its rows there.
    const tracked = new Observable<RecordBatch>((inner) =>
      merged$.subscribe({
        next: (batch) => {
          // A first save before the first report (a fresh run): from then on the count of
          // reports sent is kept in the file, so a crash in this batch repeats none.
          if (saved === undefined && saves.none) {
            progress.startRows(batch);
            saves.save();
          }
          inLine = true;
          inner.next(batch);
          progress.processedRows(batch);
          inLine = false;
          // Stopped from within (e.g. `onRead`): the stop saved what it had to.
          if (!subscriber.closed) saves.afterInput();
        },
        error: (err: unknown) => inner.error(err),
        complete: () => inner.complete(),
      }),
    );
    const engine = monitorParsedWithState(tracked, options, state).subscribe({
      next: (event) => {
        const out = finish(event);
        // Made again after a crash: already out (outputs with idempotent deliveries may take it again).
        if (!saves.made()) return void outbox?.repeated(out);
        subscriber.next(out);
        saves.sent();
        if (!inLine) saves.saveSoon();
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    const stopping = options.stop?.subscribe(() => {
      // The last save writes a new file: it fails where creating one fails (disk full, read-only).
      const failure = saves.trySave(true);
      // Unsaved, the open windows are still not reported: the next run resumes from the last
      // save (whose count of reports sent only covers reports it makes again, the same) and
      // reports them whole, once. Reported half full here, the next run would hold them back.
      if (failure !== undefined) {
        options.onWarning?.(
          `cannot save checkpoint ${options.checkpoint.path}: ${failure.message}; the open windows are left for the next run, which reads again from the last save`,
        );
      }
      engine.unsubscribe();
      // What was reported, and `held`: the lines kept in open windows for the next run.
      subscriber.next(finish(heldSummary(state)));
      subscriber.complete();
    });
    return () => {
      stopping?.unsubscribe();
      engine.unsubscribe();
      saves.close();
    };
  });
}
