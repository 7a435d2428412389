import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { EngineState } from '../engineState.js';
import { monitorParsedWithState, summaryOf, type MonitorOptions } from '../monitor.js';
import { CheckpointWriter } from '../checkpoint/checkpointWriter.js';
import type { MonitorEvent, ParsedLine } from '../types.js';
import type { CheckpointContext } from './checkpointData.js';
import type { FilesProgress } from './filesProgress.js';

/**
 * Follow mode with a checkpoint: the engine on `state` (restored or fresh); after each line
 * that made reports (once they are out) and at least once a second, every file's progress and
 * the state are saved together. On `stop`: saved, open windows kept, the summary follows.
 */
export function checkpointed(
  merged$: Observable<ParsedLine>,
  progress: FilesProgress,
  state: EngineState,
  options: MonitorOptions & { checkpoint: { path: string }; ctx: CheckpointContext; scheduler: SchedulerLike; stop?: Observable<unknown>; onWarning?: (message: string) => void },
  finish: (event: MonitorEvent) => MonitorEvent,
): Observable<MonitorEvent> {
  const { scheduler } = options;
  return new Observable<MonitorEvent>((subscriber) => {
    const writer = new CheckpointWriter(options.checkpoint.path);
    let dirty = false;
    let inLine = false;
    let lastSave = -Infinity;
    let saveTimer: Subscription | undefined;
    let failing = false;
    /** @param replace a new file rather than an in-place write (the last save of a run). */
    const saveNow = (replace = false): void => {
      saveTimer?.unsubscribe();
      saveTimer = undefined;
      dirty = false;
      lastSave = scheduler.now();
      const data = progress.checkpoint(options.ctx);
      if (data === undefined) return;
      try {
        writer.save(data, replace);
        if (failing) options.onWarning?.(`checkpoint ${options.checkpoint.path} saved again`);
        failing = false;
      } catch (err) {
        if (!failing) options.onWarning?.(`cannot save checkpoint ${options.checkpoint.path}: ${(err as Error).message} (still following; will retry)`);
        failing = true;
      }
    };
    const tracked = new Observable<ParsedLine>((inner) =>
      merged$.subscribe({
        next: (line) => {
          inLine = true;
          inner.next(line);
          progress.processed(line);
          inLine = false;
          if (dirty || scheduler.now() - lastSave >= 1000) saveNow();
        },
        error: (err: unknown) => inner.error(err),
        complete: () => inner.complete(),
      }),
    );
    const engine = monitorParsedWithState(tracked, options, state).subscribe({
      next: (event) => {
        subscriber.next(finish(event));
        dirty = true;
        // Events of the idle timer: saved once they are all out.
        if (!inLine && saveTimer === undefined) saveTimer = scheduler.schedule(() => saveNow());
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

