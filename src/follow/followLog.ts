import { resolve } from 'node:path';
import { Observable, Subject, asyncScheduler } from 'rxjs';
import { createEngineState, type EngineState } from '../engineState.js';
import { heldSummary, monitorWithState, settingsOf, type MonitorOptions } from '../monitor.js';
import { resolveFormat } from '../parse/index.js';
import type { FilePosition } from '../source/index.js';
import { tailBytes } from '../source/tailFile.js';
import type { TailBytes } from '../source/fileCursor.js';
import { LineChunk, linesOf } from '../source/lineChunk.js';
import type { MonitorEvent } from '../types.js';
import { engineStateFrom, toCheckpoint, type CheckpointContext, type FollowCheckpoint } from './checkpointData.js';
import { BatchedSaves } from '../checkpoint/batchedSaves.js';
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
    const saves =
      options.checkpoint === undefined
        ? undefined
        : new BatchedSaves({
            path: options.checkpoint.path,
            resumed: saved,
            scheduler,
            onWarning: options.onWarning,
            snapshot: (reports) => {
              if (processed === undefined) return undefined;
              forgetClosed(opened, state);
              return toCheckpoint(ctx, state, opened.values().next().value ?? processed, processed, reports);
            },
          });

    // Lines go to the engine as byte-range chunks; the operators fold them in batches.
    const chunks = new Subject<LineChunk>();
    const engine = monitorWithState(chunks, engineOptions, state).subscribe({
      next: (event) => {
        // Made again after a crash: already out.
        if (saves !== undefined && !saves.made()) return;
        subscriber.next(event);
        saves?.sent();
        if (!inChunk) saves?.saveSoon();
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
      if (saves !== undefined && saved === undefined && processed === undefined) {
        processed = chunkStart;
        saves.save();
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
      saves?.afterInput();
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
      const failure = saves?.trySave(true);
      if (saves !== undefined && failure === undefined) {
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
      saves?.close();
    };
  });
}

/** Windows before the next one to emit are closed: they no longer pin a replay position. */
function forgetClosed(opened: Map<number, FilePosition>, state: EngineState): void {
  const next = state.windowing.nextStart;
  if (next === undefined) return;
  for (const start of opened.keys()) if (start < next) opened.delete(start);
}
