import type { SchedulerLike, Subscription } from 'rxjs';
import { CheckpointWriter } from './checkpointWriter.js';

/** Without reports: a save at most once a second (ms), which only bounds how much a restart reads again. */
const CHECKPOINT_EVERY = 1000;
/** With reports: a save at most this often (ms); while catching up, one covers thousands of lines. */
const SAVE_BATCH = 250;

export interface BatchedSavesOptions {
  readonly path: string;
  /** What the run resumes from: reports made up to it, and how many of them went out. */
  readonly resumed?: { readonly reports?: number | undefined; readonly sent?: number | undefined } | undefined;
  /** The checkpoint now, given the reports made so far; undefined when there is nothing to save yet. */
  readonly snapshot: (reports: number) => object | undefined;
  readonly scheduler: SchedulerLike;
  readonly onWarning?: ((message: string) => void) | undefined;
}

/**
 * Follow mode's checkpoint policy, for one file and for several: full saves batched (with
 * reports at most every SAVE_BATCH ms, without at most every CHECKPOINT_EVERY ms, a quiet
 * spell getting a trailing save), and the count of reports sent kept current in the file
 * between them (`CheckpointWriter.markSent`). A run resumed from an older save makes some
 * reports again: `made()` says which of them already went out.
 */
export class BatchedSaves {
  private readonly writer: CheckpointWriter;
  private reports: number;
  private readonly sentBefore: number;
  private dirty = false;
  private lastSave = -Infinity;
  private timer: Subscription | undefined;
  private due = Infinity;
  private failing = false;

  constructor(private readonly options: BatchedSavesOptions) {
    this.writer = new CheckpointWriter(options.path, { countSent: true });
    this.reports = options.resumed?.reports ?? 0;
    this.sentBefore = options.resumed?.sent ?? this.reports;
    try {
      // This run's saves carry the count from the start (and the file it resumes from is kept current).
      if (options.resumed !== undefined) this.writer.markSent(this.sentBefore);
    } catch {
      // The first save says why.
    }
  }

  /** No save yet in this run. */
  get none(): boolean {
    return this.lastSave === -Infinity;
  }

  /** The engine made a report: false when it is made again after a crash and already went out. */
  made(): boolean {
    this.dirty = true;
    return ++this.reports > this.sentBefore;
  }

  /** The report just made went out. */
  sent(): void {
    try {
      this.writer.markSent(this.reports);
    } catch (err) {
      this.warn(err as Error);
    }
  }

  /** After input went through the engine: a save now if one is due, else by when it will be. */
  afterInput(): void {
    const every = this.dirty ? SAVE_BATCH : CHECKPOINT_EVERY;
    if (this.options.scheduler.now() - this.lastSave >= every) this.save();
    else this.saveBy(this.lastSave + every);
  }

  /** Reports made outside input (the idle timer): saved once they are all out (same turn of the scheduler). */
  saveSoon(): void {
    this.saveBy(this.options.scheduler.now());
  }

  /** Saves (`replace`: see `trySave`), warning once when saving starts or stops failing. */
  save(replace = false): void {
    this.warn(this.trySave(replace));
  }

  /**
   * Saves; returns why it could not, if it could not.
   * @param replace a new file rather than an in-place write (the last save of a run).
   */
  trySave(replace = false): Error | undefined {
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.due = Infinity;
    const data = this.options.snapshot(this.reports);
    // Nothing to save yet: the next input tries again.
    if (data === undefined) return undefined;
    this.dirty = false;
    this.lastSave = this.options.scheduler.now();
    try {
      this.writer.save(data, replace);
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }

  close(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.writer.close();
  }

  /** Saves at `due` on the scheduler's clock at the latest. */
  private saveBy(due: number): void {
    if (this.timer !== undefined && this.due <= due) return;
    this.timer?.unsubscribe();
    this.due = due;
    this.timer = this.options.scheduler.schedule(() => this.save(), Math.max(0, due - this.options.scheduler.now()));
  }

  private warn(failure: Error | undefined): void {
    const { path, onWarning } = this.options;
    if (failure === undefined && this.failing) onWarning?.(`checkpoint ${path} saved again`);
    // Following goes on (nothing counted is lost); a restart would read again from the last good save.
    if (failure !== undefined && !this.failing)
      onWarning?.(`cannot save checkpoint ${path}: ${failure.message} (still following; will retry)`);
    this.failing = failure !== undefined;
  }
}
