/**
 * Checkpoints for several followed files, all in one checkpoint file saved atomically: per
 * file where to read again on restart (`replay`: the start of the oldest chunk of that file
 * that fed a still-open window) and how far its lines went into the engine (`processed`),
 * plus the one engine state. Lines waiting in the merge are after `processed` in their file
 * (a file's lines keep their order through the merge), so a restart reads them again.
 * On resume each file gets the single-file replay filter: lines up to its `processed` count
 * again only if their window was still open.
 */
import { Observable, defer, map } from 'rxjs';
import { batchesOf, withBatches } from '../core/batches.js';
import type { RecordBatch } from '../parse/recordBatch.js';
import { lineSource } from '../source/chunkLines.js';
import { LineChunk, linesOf } from '../source/lineChunk.js';
import type { EngineState } from '../engineState.js';
import type { LineParser } from '../parse/index.js';
import { isBlankLine } from '../parse/blank.js';
import { tailFile, type FilePosition, type TailFileOptions } from '../source/index.js';
import { tailBytes } from '../source/tailFile.js';
import type { ParsedLine } from '../types.js';
import { toCheckpoint, type CheckpointContext, type FollowCheckpoint } from './checkpointData.js';
import { createReplayFilter } from './replayFilter.js';

/** One file's part of a checkpoint of several files. */
export interface FileProgress {
  /** Where a restart reads this file again from (the oldest chunk that fed a still-open window). */
  readonly replay: FilePosition;
  /** How far its lines went into the engine. */
  readonly processed: FilePosition;
}

/** A follow checkpoint of several files: the engine's fields, plus `files` by path. */
export interface FilesCheckpoint extends FollowCheckpoint {
  /** Each file's progress, by path (as given or expanded from a glob). */
  readonly files: Readonly<Record<string, FileProgress>>;
}

export function isFilesCheckpoint(value: FollowCheckpoint): value is FilesCheckpoint {
  const files = (value as Partial<FilesCheckpoint>).files;
  return typeof files === 'object' && files !== null;
}

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

interface LineAt {
  readonly path: string;
  /** The file read (its position at the chunk's end, shared by the chunk's lines) and where the line ends in it. */
  readonly file: FilePosition;
  readonly end: number;
  readonly chunkStart: FilePosition;
}

export class FilesProgress {
  private readonly files = new Map<string, Tracked>();
  private readonly at = new WeakMap<ParsedLine, LineAt>();
  /** Files still reading their history (no positions yet): no save until they reach the live file. */
  historyPending = 0;

  constructor(
    private readonly state: EngineState,
    private readonly saved: FilesCheckpoint | undefined,
  ) {}

  /** Whether `path` resumes from the checkpoint (then its history is not read again). */
  resumes(path: string): boolean {
    return this.saved?.files[path] !== undefined;
  }

  /**
   * The lines of `path` as it grows, from its saved replay position (filtered as on resume),
   * parsed; each parsed line remembers where it ends.
   */
  follow(path: string, parse: (lines: Observable<string>) => Observable<ParsedLine>, lineParser: LineParser, options: TailFileOptions): Observable<ParsedLine> {
    return withBatches(this.followLines(path, parse, lineParser, options), this.followBatches(path, parse, lineParser, options));
  }

  /**
   * The batch view of `follow`: the tailer's byte-range chunks parsed into record batches whose
   * `origin` is the file and chunk they were read from (`RowOrigin`), rows ending at `endOf`.
   */
  private followBatches(path: string, parse: (lines: Observable<string>) => Observable<ParsedLine>, lineParser: LineParser, options: TailFileOptions): Observable<RecordBatch> {
    const saved = this.saved?.files[path];
    const filesSaved = this.saved;
    return defer(() => {
      const keep = saved === undefined || filesSaved === undefined ? undefined : createReplayFilter({ ...filesSaved, replay: saved.replay, processed: saved.processed }, this.state, lineParser);
      let origin: RowOrigin | undefined;
      /** Part of a view (lines kept by a resumed run's replay filter), handed over alone. */
      const part = new LineChunk();
      const chunks = new Observable<LineChunk>((subscriber) =>
        tailBytes(path, { ...options, ...(saved === undefined ? {} : { startPosition: saved.replay }) }).subscribe({
          next: (chunk) => {
            const { view } = chunk;
            origin = { path, file: chunk.position, chunkStart: { ...chunk.position, offset: chunk.start } };
            let i = 0;
            // Resuming: line by line while re-read lines may be skipped.
            for (; i < view.count && keep?.replaying === true && !subscriber.closed; i++) {
              if (keep(chunk.position, view.offsets[i] as number, view.text(i))) subscriber.next(linesOf(view, i, i + 1, part));
            }
            if (i === 0) subscriber.next(view);
            else if (i < view.count) subscriber.next(linesOf(view, i, view.count, part));
          },
          error: (err: unknown) => subscriber.error(err),
        }),
      );
      const batches = batchesOf<RecordBatch>(parse(lineSource(chunks)));
      if (batches === undefined) throw new Error('FilesProgress: the parser gives no record batches');
      return batches.pipe(
        map((batch) => {
          batch.origin = origin;
          return batch;
        }),
      );
    });
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

  private followLines(path: string, parse: (lines: Observable<string>) => Observable<ParsedLine>, lineParser: LineParser, options: TailFileOptions): Observable<ParsedLine> {
    const saved = this.saved?.files[path];
    const keep = saved === undefined || this.saved === undefined ? () => true : createReplayFilter({ ...this.saved, replay: saved.replay, processed: saved.processed }, this.state, lineParser);
    // Where the lines handed to the parser end, in order (a queue: `head` is the next one out).
    const waiting: LineAt[] = [];
    let head = 0;
    const lines = new Observable<string>((subscriber) =>
      tailFile(path, { ...options, ...(saved === undefined ? {} : { startPosition: saved.replay }) }).subscribe({
        next: (chunk) => {
          const text = chunk.lines; // an overlong line is OVERLONG_LINE already
          const chunkStart: FilePosition = { ...chunk.position, offset: chunk.start };
          for (let i = 0; i < text.length && !subscriber.closed; i++) {
            const line = text[i] as string;
            const end = chunk.ends[i] as number;
            if (!keep(chunk.position, end, line)) continue;
            if (!isBlankLine(line)) waiting.push({ path, file: chunk.position, end, chunkStart });
            subscriber.next(line);
          }
        },
        error: (err: unknown) => subscriber.error(err),
      }),
    );
    return new Observable<ParsedLine>((subscriber) =>
      parse(lines).subscribe({
        next: (parsed) => {
          const at = waiting[head];
          if (at !== undefined) {
            head++;
            this.at.set(parsed, at);
          }
          if (head === waiting.length) {
            waiting.length = 0;
            head = 0;
          } else if (head >= 4096 && head * 2 >= waiting.length) {
            waiting.splice(0, head);
            head = 0;
          }
          subscriber.next(parsed);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
  }

  /** After `line` went through the engine: its file's progress moves past it. */
  processed(line: ParsedLine): void {
    const at = this.at.get(line);
    if (at === undefined) return;
    this.at.delete(line);
    const tracked = this.trackedOf(at.path);
    tracked.processedFile = at.file;
    tracked.processedEnd = at.end;
    for (const start of this.state.windowing.open.keys()) if (!tracked.opened.has(start)) tracked.opened.set(start, at.chunkStart);
  }

  /** The checkpoint now (`reports`: made so far), or undefined while a file still reads its history. */
  checkpoint(ctx: CheckpointContext, reports: number): FilesCheckpoint | undefined {
    if (this.historyPending > 0) return undefined;
    const files: Record<string, FileProgress> = { ...this.saved?.files };
    const next = this.state.windowing.nextStart;
    let any: FilePosition | undefined;
    for (const [path, tracked] of this.files) {
      if (tracked.processedFile === undefined) continue;
      const processed: FilePosition = { ...tracked.processedFile, offset: tracked.processedEnd };
      if (next !== undefined) for (const start of tracked.opened.keys()) if (start < next) tracked.opened.delete(start);
      const replay = tracked.opened.values().next().value ?? processed;
      files[path] = { replay, processed };
      any ??= processed;
    }
    const first = any ?? Object.values(files)[0]?.processed;
    if (first === undefined) return undefined;
    return { ...toCheckpoint(ctx, this.state, first, first, reports), files };
  }
}
