import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { EngineState } from '../engineState.js';
import { monitorParsedWithState, summaryOf, type MonitorOptions } from '../monitor.js';
import { CheckpointWriter } from '../checkpoint/checkpointWriter.js';
import type { MonitorEvent, ParsedLine } from '../types.js';
import type { CheckpointContext, FollowCheckpoint } from './checkpointData.js';
import type { FilesProgress } from './filesProgress.js';
import { batchesOf, withBatches } from '../core/batches.js';
import type { RecordBatch } from '../parse/recordBatch.js';

/**
 * Follow mode with a checkpoint: the engine on `state` (restored or fresh); every file's
 * progress and the state are saved together, batched as in `followLog`: with reports at most
 * every 250 ms, without at least once a second while lines come, and the count of reports sent
 * kept current in place between saves, so that a restart from an older save (`saved`) holds
 * back what already went out. On `stop`: saved, open windows kept, the summary follows.
 */
export function checkpointed(
  merged$: Observable<ParsedLine>,
  progress: FilesProgress,
  state: EngineState,
  options: MonitorOptions & {
    checkpoint: { path: string; saved?: FollowCheckpoint | undefined };
    ctx: CheckpointContext;
    scheduler: SchedulerLike;
    stop?: Observable<unknown>;
    onWarning?: (message: string) => void;
  },
  finish: (event: MonitorEvent) => MonitorEvent,
): Observable<MonitorEvent> {
  const { scheduler } = options;
  return new Observable<MonitorEvent>((subscriber) => {
    const writer = new CheckpointWriter(options.checkpoint.path, { countSent: true });
    const saved = options.checkpoint.saved;
    let made = saved?.reports ?? 0;
    const sentBefore = saved?.sent ?? made;
    let dirty = false;
    let inLine = false;
    let lastSave = -Infinity;
    let saveTimer: Subscription | undefined;
    let failing = false;
    const warn = (err: Error | undefined): void => {
      if (err === undefined && failing) options.onWarning?.(`checkpoint ${options.checkpoint.path} saved again`);
      if (err !== undefined && !failing) options.onWarning?.(`cannot save checkpoint ${options.checkpoint.path}: ${err.message} (still following; will retry)`);
      failing = err !== undefined;
    };
    try {
      // This run's saves carry the count from the start (and the file it resumes from is kept current).
      if (saved !== undefined) writer.markSent(sentBefore);
    } catch {
      // The first save says why.
    }
    /** @param replace a new file rather than an in-place write (the last save of a run). */
    const saveNow = (replace = false): void => {
      saveTimer?.unsubscribe();
      saveTimer = undefined;
      const data = progress.checkpoint(options.ctx, made);
      // Nothing to save yet (a file still reads its history): the next line tries again.
      if (data === undefined) return;
      dirty = false;
      lastSave = scheduler.now();
      try {
        writer.save(data, replace);
        warn(undefined);
      } catch (err) {
        warn(err as Error);
      }
    };
    let saveDue = Infinity;
    /** Saves at `due` on the scheduler's clock at the latest. */
    const saveBy = (due: number): void => {
      if (saveTimer !== undefined && saveDue <= due) return;
      saveTimer?.unsubscribe();
      saveDue = due;
      saveTimer = scheduler.schedule(() => saveNow(), Math.max(0, due - scheduler.now()));
    };
    /** After a line or a batch went through the engine (its progress noted): a save if one is due. */
    const afterInput = (): void => {
      const every = dirty ? SAVE_BATCH : CHECKPOINT_EVERY;
      if (scheduler.now() - lastSave >= every) saveNow();
      else if (dirty) saveBy(lastSave + SAVE_BATCH);
    };
    const trackedLines = new Observable<ParsedLine>((inner) =>
      merged$.subscribe({
        next: (line) => {
          inLine = true;
          inner.next(line);
          progress.processed(line);
          inLine = false;
          afterInput();
        },
        error: (err: unknown) => inner.error(err),
        complete: () => inner.complete(),
      }),
    );
    // The batch view: the engine folds a whole batch, then every file's progress moves past its rows there.
    const batches = batchesOf<RecordBatch>(merged$);
    const tracked =
      batches === undefined
        ? trackedLines
        : withBatches(
            trackedLines,
            new Observable<RecordBatch>((inner) =>
              batches.subscribe({
                next: (batch) => {
                  // A first save before the first report (a fresh run): from then on the count of
                  // reports sent is kept in the file, so a crash in this batch repeats none.
                  if (saved === undefined && lastSave === -Infinity) {
                    progress.startRows(batch);
                    saveNow();
                  }
                  inLine = true;
                  inner.next(batch);
                  progress.processedRows(batch);
                  inLine = false;
                  afterInput();
                },
                error: (err: unknown) => inner.error(err),
                complete: () => inner.complete(),
              }),
            ),
          );
    const engine = monitorParsedWithState(tracked, options, state).subscribe({
      next: (event) => {
        dirty = true;
        const out = finish(event);
        // Made again after a crash: already out.
        if (++made <= sentBefore) return;
        subscriber.next(out);
        try {
          writer.markSent(made);
        } catch (err) {
          warn(err as Error);
        }
        // Events of the idle timer: saved once they are all out.
        if (!inLine) saveBy(scheduler.now());
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    const stopping = options.stop?.subscribe(() => {
      saveNow(true);
      engine.unsubscribe();
      // What was reported, and `held`: the lines kept in open windows for the next run.
      let held = 0;
      for (const window of state.windowing.open.values()) held += window.hits;
      subscriber.next(finish(held > 0 ? { ...summaryOf(state.totals), held } : summaryOf(state.totals)));
      subscriber.complete();
    });
    return () => {
      stopping?.unsubscribe();
      engine.unsubscribe();
      saveTimer?.unsubscribe();
      writer.close();
    };
  });
}

/** Without reports: a save at least once a second while lines come (ms). */
const CHECKPOINT_EVERY = 1000;
/** With reports: a save at most this often (ms). */
const SAVE_BATCH = 250;
