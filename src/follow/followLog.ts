import { resolve } from 'node:path';
import { Observable, Subject, asyncScheduler, type Subscription } from 'rxjs';
import { createEngineState, type EngineState } from '../engineState.js';
import { monitorWithState, settingsOf, summaryOf, type MonitorOptions } from '../monitor.js';
import { resolveFormat } from '../parse/index.js';
import type { FilePosition } from '../source/index.js';
import { tailBytes } from '../source/tailFile.js';
import type { TailBytes } from '../source/fileCursor.js';
import { LineChunk } from '../source/lineChunk.js';
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
  readonly checkpoint?: { readonly path: string; readonly saved?: FollowCheckpoint | undefined };
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
  const engineOptions: MonitorOptions = { ...options, idleTimeout: options.idleTimeout ?? Math.max(settings.lateness, 1000) };
  const ctx: CheckpointContext = { log: resolve(path), format, settings };
  const scheduler = options.scheduler ?? asyncScheduler;

  return new Observable<MonitorEvent>((subscriber) => {
    const saved = options.checkpoint?.saved;
    const state: EngineState = saved === undefined ? createEngineState(settings) : engineStateFrom(saved, settings);
    options.onState?.(state);
    const keep = saved === undefined ? undefined : createReplayFilter(saved, state, resolveFormat(format));
    const opened = new Map<number, FilePosition>();
    let processed: FilePosition | undefined = saved?.processed;
    let inChunk = false;
    let dirty = false;
    let saveTimer: Subscription | undefined;
    let trailingSave: Subscription | undefined;
    let lastSave = -Infinity;
    let saveFailing = false;
    const writer = options.checkpoint === undefined ? undefined : new CheckpointWriter(options.checkpoint.path);

    /** Saves the checkpoint; returns why it could not be saved, if it could not. */
    const trySave = (replace = false): Error | undefined => {
      saveTimer?.unsubscribe();
      saveTimer = undefined;
      trailingSave?.unsubscribe();
      trailingSave = undefined;
      dirty = false;
      lastSave = scheduler.now();
      const target = options.checkpoint?.path;
      if (writer === undefined || target === undefined || processed === undefined) return undefined;
      forgetClosed(opened, state);
      const replay = opened.values().next().value ?? processed;
      try {
        writer.save(toCheckpoint(ctx, state, replay, processed), replace);
        return undefined;
      } catch (err) {
        return err as Error;
      }
    };
    const saveNow = (): void => {
      const target = options.checkpoint?.path;
      const failure = trySave();
      if (failure === undefined && saveFailing) options.onWarning?.(`checkpoint ${target} saved again`);
      // Following goes on (nothing counted is lost); a restart would read again from the last good save.
      if (failure !== undefined && !saveFailing) options.onWarning?.(`cannot save checkpoint ${target}: ${failure.message} (still following; will retry)`);
      saveFailing = failure !== undefined;
    };

    // Lines go to the engine as byte-range chunks (the batch view files use): the operators
    // fold them in batches and call back right after a line whose reports are out, where the
    // checkpoint is taken.
    const chunks = new Subject<LineChunk>();
    const engine = monitorWithState(lineSource(chunks), engineOptions, state).subscribe({
      next: (event) => {
        subscriber.next(event);
        dirty = true;
        // Events from the idle timer: save once they are all out (same turn of the scheduler).
        if (!inChunk && saveTimer === undefined) saveTimer = scheduler.schedule(saveNow);
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    /** Part of a view (lines from a resumed run's replay filter on), handed over alone. */
    const part = new LineChunk();

    const onChunk = (chunk: TailBytes): void => {
      inChunk = true;
      const { view } = chunk;
      const chunkStart: FilePosition = { ...chunk.position, offset: chunk.start };
      const noteOpened = (): void => {
        for (const start of state.windowing.open.keys()) if (!opened.has(start)) opened.set(start, chunkStart);
      };
      // A line's events are out: save before the next line (a chunk may hold thousands), so
      // that a crash can report them twice only between their output and this save.
      const afterEmit = (i: number): void => {
        if (!dirty) return;
        noteOpened();
        processed = { ...chunk.position, offset: view.offsets[i] as number };
        saveNow();
      };
      let i = 0;
      // Resuming: line by line while re-read lines may be skipped.
      for (; i < view.count && keep?.replaying === true; i++) {
        if (!keep(chunk.position, view.offsets[i] as number, view.text(i))) continue;
        chunks.next(linesOf(view, i, i + 1, part, undefined));
        afterEmit(i);
      }
      if (i === 0) {
        view.afterEmit = afterEmit;
        chunks.next(view);
        view.afterEmit = undefined;
      } else if (i < view.count) {
        const offset = i;
        chunks.next(linesOf(view, offset, view.count, part, (k) => afterEmit(offset + k)));
      }
      noteOpened();
      processed = chunk.position;
      options.onRead?.(chunk.position);
      inChunk = false;
      // Stopped from onRead: the stop saved what it had to; nothing may be written after completion.
      if (subscriber.closed) return;
      // Without events, at most once a second, which only bounds how much a restart reads again;
      // a quiet spell gets a trailing save, so the checkpoint catches up with what was read.
      const sinceSave = scheduler.now() - lastSave;
      if (dirty || sinceSave >= CHECKPOINT_EVERY) saveNow();
      else trailingSave ??= scheduler.schedule(saveNow, CHECKPOINT_EVERY - sinceSave);
    };

    const tail = tailBytes(path, {
      ...(saved !== undefined ? { startPosition: saved.replay } : options.fromEnd === true ? { fromEnd: true } : {}),
      ...(options.pollInterval === undefined ? {} : { pollInterval: options.pollInterval }),
      ...(options.rotateGrace === undefined ? {} : { rotateGrace: options.rotateGrace }),
      ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
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

const CHECKPOINT_EVERY = 1000;

/** The summary at a stop that keeps the open windows for the next run: with the lines they hold. */
function heldSummary(state: EngineState): MonitorEvent {
  let held = 0;
  for (const window of state.windowing.open.values()) held += window.hits;
  return held > 0 ? { ...summaryOf(state.totals), held } : summaryOf(state.totals);
}

/** Lines [from, to) of `view` as the chunk `target` (sharing its bytes). */
function linesOf(view: LineChunk, from: number, to: number, target: LineChunk, afterEmit: ((line: number) => void) | undefined): LineChunk {
  target.bytes = view.bytes;
  target.count = to - from;
  target.starts.set(view.starts.subarray(from, to));
  target.ends.set(view.ends.subarray(from, to));
  target.overlong.set(view.overlong.subarray(from, to));
  target.offsets.set(view.offsets.subarray(from, to));
  target.afterEmit = afterEmit;
  return target;
}

/** Windows before the next one to emit are closed: they no longer pin a replay position. */
function forgetClosed(opened: Map<number, FilePosition>, state: EngineState): void {
  const next = state.windowing.nextStart;
  if (next === undefined) return;
  for (const start of opened.keys()) if (start < next) opened.delete(start);
}
