/**
 * Checkpoints of followed files (one, or several), all in one checkpoint file saved atomically: per
 * file where to read again on restart (`replay`: the start of the oldest chunk of that file
 * that fed a still-open window) and how far its lines went into the engine (`processed`),
 * plus the one engine state. Lines waiting in the merge are after `processed` in their file
 * (a file's lines keep their order through the merge), so a restart reads them again.
 * On resume each file gets the single-file replay filter: lines up to its `processed` count
 * again only if their window was still open.
 */
import type { RecordBatch } from '../../parse/recordBatch.js';
import { LineChunk, linesOf } from '../../source/lineChunk.js';
import type { EngineState } from '../engineState.js';
import type { LineParser } from '../../parse/index.js';
import type { FilePosition } from '../../source/index.js';
import type { TailBytes } from '../../source/fileCursor.js';
import { toCheckpoint, type CheckpointContext, type FileProgress, type FollowCheckpoint } from './checkpointData.js';
import { createReplayFilter, sameFile } from './replayFilter.js';

interface Tracked {
  /** The file and the offset (`processedEnd`) its lines went into the engine up to. */
  processedFile: FilePosition | undefined;
  processedEnd: number;
  /** Window start -> first chunk start of this file that may hold its lines (insertion order = file order). */
  readonly opened: Map<number, FilePosition>;
}

/** Where the rows of a followed file's record batch come from. */
interface RowOrigin {
  readonly path: string;
  /** The file read, at the end of the chunk. */
  readonly file: FilePosition;
  /** Where the chunk starts. */
  readonly chunkStart: FilePosition;
}

export class FilesProgress {
  private readonly files = new Map<string, Tracked>();
  /** Files still reading their history (no positions yet): no save until they reach the live file. */
  historyPending = 0;

  constructor(
    private readonly state: EngineState,
    private readonly saved: FollowCheckpoint | undefined,
  ) {}

  /** Whether `path` resumes from the checkpoint (then its history is not read again). */
  resumes(path: string): boolean {
    return this.saved?.files[path] !== undefined;
  }

  /**
   * How `path` is followed with this checkpoint: from its saved replay position (`startPosition`),
   * each chunk's lines filtered as on resume (`lines`), its batches' `origin` the file and chunk
   * they were read from (`RowOrigin`), rows ending at `endOf`.
   */
  reader(path: string, lineParser: LineParser): FollowReader {
    return new CheckpointedReader(path, this.saved, this.state, lineParser);
  }

  /** After a batch went through the engine: each file's progress moves past its last row there. */
  processedRows(batch: RecordBatch): void {
    let last: RowOrigin | undefined;
    let tracked: Tracked | undefined;
    for (let row = 0; row < batch.count; row++) {
      const origin = batch.originOf(row) as RowOrigin | undefined;
      if (origin === undefined) continue; // history: no position
      if (origin !== last) {
        last = origin;
        tracked = this.trackedOf(origin.path);
        // Windows open now that this file had no line in yet: their lines from it start no
        // earlier than this chunk (this row may come after their first: an earlier replay is safe).
        for (const start of this.state.windowing.open.keys()) if (!tracked.opened.has(start)) tracked.opened.set(start, origin.chunkStart);
      }
      (tracked as Tracked).processedFile = origin.file;
      (tracked as Tracked).processedEnd = batch.endOf(row);
    }
  }

  /** Before a batch goes through the engine: a file not seen yet has processed nothing of its chunk. */
  startRows(batch: RecordBatch): void {
    let last: RowOrigin | undefined;
    for (let row = 0; row < batch.count; row++) {
      const origin = batch.originOf(row) as RowOrigin | undefined;
      if (origin === undefined || origin === last) continue;
      last = origin;
      const tracked = this.trackedOf(origin.path);
      if (tracked.processedFile !== undefined) continue;
      tracked.processedFile = origin.chunkStart;
      tracked.processedEnd = origin.chunkStart.offset;
    }
  }

  private trackedOf(path: string): Tracked {
    let tracked = this.files.get(path);
    if (tracked === undefined) this.files.set(path, (tracked = { processedFile: undefined, processedEnd: 0, opened: new Map() }));
    return tracked;
  }

  /** The checkpoint now (`reports`: made so far; `outbox`: outputs' units), or undefined while a file still reads its history. */
  checkpoint(ctx: CheckpointContext, reports: number, outbox?: Readonly<Record<string, readonly unknown[]>>): FollowCheckpoint | undefined {
    if (this.historyPending > 0) return undefined;
    const files: Record<string, FileProgress> = { ...this.saved?.files };
    const next = this.state.windowing.nextStart;
    let any = false;
    for (const [path, tracked] of this.files) {
      if (tracked.processedFile === undefined) continue;
      // Never behind the position this run resumed from, in the same file: the lines up to it
      // were counted in the state it resumed (the replay filter dropped them here, so no row
      // moved this run's position past them); a save behind it would count them again after
      // the next crash.
      const before = this.saved?.files[path]?.processed;
      const behind = before !== undefined && sameFile(tracked.processedFile, before) && tracked.processedEnd < before.offset;
      const processed: FilePosition = behind ? before : { ...tracked.processedFile, offset: tracked.processedEnd };
      if (next !== undefined) for (const start of tracked.opened.keys()) if (start < next) tracked.opened.delete(start);
      const replay = tracked.opened.values().next().value ?? processed;
      files[path] = { replay, processed };
      any = true;
    }
    if (!any && Object.keys(files).length === 0) return undefined;
    return toCheckpoint(ctx, this.state, files, reports, outbox);
  }
}

/** How a followed file's chunks go into the engine with a checkpoint (`FilesProgress.reader`). */
export interface FollowReader {
  /** Where its tailer starts: the saved replay position, if any. */
  readonly startPosition: FilePosition | undefined;
  /** The origin of the rows of the chunk last given to `lines`. */
  readonly origin: unknown;
  /** Hands `chunk`'s lines to `each`: all of it, or (resuming) the lines not counted yet, a view at a time. */
  lines(chunk: TailBytes, each: (view: LineChunk) => void): void;
}

class CheckpointedReader implements FollowReader {
  readonly startPosition: FilePosition | undefined;
  origin: RowOrigin | undefined;
  private keep: ReturnType<typeof createReplayFilter> | undefined;
  /** Part of a view (lines kept by a resumed run's replay filter), handed over alone. */
  private part: LineChunk | undefined;

  constructor(
    private readonly path: string,
    filesSaved: FollowCheckpoint | undefined,
    state: EngineState,
    lineParser: LineParser,
  ) {
    const saved = filesSaved?.files[path];
    this.startPosition = saved?.replay;
    if (saved !== undefined && filesSaved !== undefined) this.keep = createReplayFilter(filesSaved, saved, state, lineParser);
  }

  lines(chunk: TailBytes, each: (view: LineChunk) => void): void {
    const { view } = chunk;
    this.origin = { path: this.path, file: chunk.position, chunkStart: { ...chunk.position, offset: chunk.start } };
    const keep = this.keep;
    if (keep === undefined || !keep.replaying) {
      this.keep = undefined;
      each(view);
      return;
    }
    const part = (this.part ??= new LineChunk(1));
    let i = 0;
    // Resuming: line by line while re-read lines may be skipped.
    for (; i < view.count && keep.replaying; i++) {
      if (keep(chunk.position, view.offsets[i] as number, view.text(i))) each(linesOf(view, i, i + 1, part));
    }
    if (i === 0) each(view);
    else if (i < view.count) each(linesOf(view, i, view.count, part));
  }
}
