import { resolve } from 'node:path';
import { Observable, Subject, asyncScheduler, type Subscription } from 'rxjs';
import { createEngineState, type EngineState } from '../engineState.js';
import { monitorWithState, settingsOf, summaryOf, type MonitorOptions } from '../monitor.js';
import { resolveFormat } from '../parse/index.js';
import type { FilePosition } from '../source/index.js';
import { tailBytes } from '../source/tailFile.js';
import type { TailBytes } from '../source/fileCursor.js';
import { LineChunk, linesOf } from '../source/lineChunk.js';
import { lineSource } from '../source/chunkLines.js';
import type { MonitorEvent } from '../types.js';
import { engineStateFrom, toCheckpoint, type CheckpointContext, type FollowCheckpoint } from './checkpointData.js';
import { CheckpointWriter } from '../checkpoint/checkpointWriter.js';
import { createReplayFilter } from './replayFilter.js';
import { validateFollowOptions } from '../validateOptions.js';
import { checkFollowCheckpoint } from './loadFollowCheckpoint.js';

export interface FollowLogOptions extends MonitorOptions {
  /** Start at the end of the file (ignored when resuming from a checkpoint). */
  readonly fromEnd?: boolean;
  /**
   * Save progress here; resume from `saved` (see `loadFollowCheckpoint`). A `saved`
   * checkpoint made for another log or other settings throws `CheckpointError` at once.
   */
  readonly checkpoint?: {
    /** The checkpoint file. */
    readonly path: string;
    /** What it held when this run started (`loadFollowCheckpoint`); undefined: start afresh. */
    readonly saved?: FollowCheckpoint | undefined;
  };
  /** Poll period of the tailer, ms. Default 250. */
  readonly pollInterval?: number;
  /** How long a rotated-away file is still drained, ms. Default 2000. */
  readonly rotateGrace?: number;
  /** Trouble that does not stop following (unreadable file, checkpoint not written). */
  readonly onWarning?: (message: string) => void;
  /** After each batch of lines read: the position just after it (e.g. for a catching-up progress bar). */
  readonly onRead?: (position: FilePosition) => void;
  /**
   * When this emits, following stops: with a checkpoint, open windows are kept for the next
   * run (saved, not reported) and the summary of what was reported follows, with `held` the
   * lines kept; without one, or when it cannot be saved (warned), open windows are flushed
   * first, as at the end of a replay.
   */
  readonly stop?: Observable<unknown>;
}

/**
 * Follows a growing log (rotation-safe, see `tailFile`) through the engine. The watermark
 * advances with the scheduler after `idleTimeout` (default: the lateness, at least 1 s) of
 * silence, so windows close and alerts recover when traffic stops. With a checkpoint, a
 * restart after a crash reports no interval twice and misses no line.
 *
 * Options are checked when `followLog` is called, exactly as `monitor` checks them: a bad
 * one throws `MonitorOptionsError` synchronously.
 */
export function followLog(path: string, options: FollowLogOptions = {}): Observable<MonitorEvent> {
  validateFollowOptions(path, options);
  if (options.checkpoint?.saved !== undefined) checkFollowCheckpoint(options.checkpoint.saved, path, options, options.checkpoint.path);
  const settings = settingsOf(options);
  const format = options.format ?? 'auto';
  const idleTimeout = options.idleTimeout ?? Math.max(settings.lateness, 1000);
  const ctx: CheckpointContext = { log: resolve(path), format, settings };
  const scheduler = options.scheduler ?? asyncScheduler;

  return new Observable<MonitorEvent>((subscriber) => {
    const saved = options.checkpoint?.saved;
    const state: EngineState = saved === undefined ? createEngineState(settings) : engineStateFrom(saved, settings);
    options.onState?.(state);
    const keep = saved === undefined ? undefined : createReplayFilter(saved, state, resolveFormat(format));
    const opened = new Map<number, FilePosition>();
    // Idle time closes windows only once the tailer has read what piled up (see `onBehindCheck`).
    let behind: (() => boolean) | undefined;
    const engineOptions: MonitorOptions = { ...options, idleTimeout, idleHold: () => behind?.() === true };
    let processed: FilePosition | undefined = saved?.processed;
    let inChunk = false;
    let dirty = false;
    let saveTimer: Subscription | undefined;
    let trailingSave: Subscription | undefined;
    let trailingDue = Infinity;
    let lastSave = -Infinity;
    let saveFailing = false;
    const writer = options.checkpoint === undefined ? undefined : new CheckpointWriter(options.checkpoint.path, { countSent: true });
    // Reports made since the log was first followed (the saved state's count when resuming),
    // and how many of them went out before the last run stopped: a restart from an older save
    // makes some again, which are held back here (see `CheckpointWriter.markSent`).
    let made = saved?.reports ?? 0;
    const sentBefore = saved?.sent ?? made;
    try {
      // This run's saves carry the count from the start (and the file it resumes from is kept current).
      if (saved !== undefined) writer?.markSent(sentBefore);
    } catch {
      // The first save says why.
    }

    /** Saves the checkpoint; returns why it could not be saved, if it could not. */
    const trySave = (replace = false): Error | undefined => {
      saveTimer?.unsubscribe();
      saveTimer = undefined;
      trailingSave?.unsubscribe();
      trailingSave = undefined;
      trailingDue = Infinity;
      dirty = false;
      lastSave = scheduler.now();
      const target = options.checkpoint?.path;
      if (writer === undefined || target === undefined || processed === undefined) return undefined;
      forgetClosed(opened, state);
      const replay = opened.values().next().value ?? processed;
      try {
        writer.save(toCheckpoint(ctx, state, replay, processed, made), replace);
        return undefined;
      } catch (err) {
        return err as Error;
      }
    };
    const warnSave = (failure: Error | undefined): void => {
      const target = options.checkpoint?.path;
      if (failure === undefined && saveFailing) options.onWarning?.(`checkpoint ${target} saved again`);
      // Following goes on (nothing counted is lost); a restart would read again from the last good save.
      if (failure !== undefined && !saveFailing) options.onWarning?.(`cannot save checkpoint ${target}: ${failure.message} (still following; will retry)`);
      saveFailing = failure !== undefined;
    };
    const saveNow = (): void => warnSave(trySave());
    /** Saves at `due` on the scheduler's clock at the latest. */
    const saveBy = (due: number): void => {
      if (trailingSave !== undefined && trailingDue <= due) return;
      trailingSave?.unsubscribe();
      trailingDue = due;
      trailingSave = scheduler.schedule(saveNow, Math.max(0, due - scheduler.now()));
    };

    // Lines go to the engine as byte-range chunks (the batch view files use); the operators
    // fold them in batches.
    const chunks = new Subject<LineChunk>();
    const engine = monitorWithState(lineSource(chunks), engineOptions, state).subscribe({
      next: (event) => {
        dirty = true;
        // Made again after a crash: already out.
        if (++made <= sentBefore) return;
        subscriber.next(event);
        if (writer !== undefined) {
          try {
            writer.markSent(made);
          } catch (err) {
            warnSave(err as Error);
          }
        }
        // Events from the idle timer: saved once they are all out (same turn of the scheduler).
        if (!inChunk && saveTimer === undefined) saveTimer = scheduler.schedule(saveNow);
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    /** Part of a view (lines from a resumed run's replay filter on), handed over alone. */
    const part = new LineChunk();

    const onChunk = (chunk: TailBytes): void => {
      const { view } = chunk;
      const chunkStart: FilePosition = { ...chunk.position, offset: chunk.start };
      // A first checkpoint before the first line, so that from the first report on a restart knows what went out.
      if (writer !== undefined && saved === undefined && processed === undefined) {
        processed = chunkStart;
        warnSave(trySave());
      }
      inChunk = true;
      let i = 0;
      // Resuming: line by line while re-read lines may be skipped.
      for (; i < view.count && keep?.replaying === true; i++) {
        if (keep(chunk.position, view.offsets[i] as number, view.text(i))) chunks.next(linesOf(view, i, i + 1, part));
      }
      if (i === 0) chunks.next(view);
      else if (i < view.count) chunks.next(linesOf(view, i, view.count, part));
      for (const start of state.windowing.open.keys()) if (!opened.has(start)) opened.set(start, chunkStart);
      processed = chunk.position;
      options.onRead?.(chunk.position);
      inChunk = false;
      // Stopped from onRead: the stop saved what it had to; nothing may be written after completion.
      if (subscriber.closed) return;
      // Saves are batched: with reports, one every SAVE_BATCH ms at most (while catching up, one
      // covers thousands of lines); without, one a second at most, which only bounds how much a
      // restart reads again. A quiet spell gets a trailing save.
      const every = dirty ? SAVE_BATCH : CHECKPOINT_EVERY;
      if (scheduler.now() - lastSave >= every) saveNow();
      else saveBy(lastSave + every);
    };

    const tail = tailBytes(path, {
      ...(saved !== undefined ? { startPosition: saved.replay } : options.fromEnd === true ? { fromEnd: true } : {}),
      ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }),
      ...(options.rotateGrace === undefined ? {} : { rotateGrace: options.rotateGrace }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
      onBehindCheck: (check) => (behind = check),
      scheduler,
    }).subscribe({ next: onChunk, error: (err: unknown) => subscriber.error(err) });

    const stopping = options.stop?.subscribe(() => {
      tail.unsubscribe();
      // The last save writes a new file: it fails where creating one fails (disk full, read-only).
      const failure = options.checkpoint === undefined ? undefined : trySave(true);
      if (options.checkpoint !== undefined && failure === undefined) {
        engine.unsubscribe();
        subscriber.next(heldSummary(state));
        subscriber.complete();
      } else {
        // Without a checkpoint, or when it cannot be saved: report the open windows now rather than lose them.
        if (failure !== undefined) options.onWarning?.(`cannot save checkpoint ${options.checkpoint?.path}: ${failure.message}; reporting the open windows now`);
        chunks.complete();
      }
    });

    return () => {
      stopping?.unsubscribe();
      tail.unsubscribe();
      engine.unsubscribe();
      saveTimer?.unsubscribe();
      trailingSave?.unsubscribe();
      writer?.close();
    };
  });
}

/** Without reports: a save at most once a second (ms). */
const CHECKPOINT_EVERY = 1000;
/** With reports: a save at most this often (ms). */
const SAVE_BATCH = 250;

/** The summary at a stop that keeps the open windows for the next run: with the lines they hold. */
function heldSummary(state: EngineState): MonitorEvent {
  let held = 0;
  for (const window of state.windowing.open.values()) held += window.hits;
  return held > 0 ? { ...summaryOf(state.totals), held } : summaryOf(state.totals);
}

/** Windows before the next one to emit are closed: they no longer pin a replay position. */
function forgetClosed(opened: Map<number, FilePosition>, state: EngineState): void {
  const next = state.windowing.nextStart;
  if (next === undefined) return;
  for (const start of opened.keys()) if (start < next) opened.delete(start);
}
