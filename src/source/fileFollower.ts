/**
 * One path's follower as a step function over plain state: `step()` stats the path, finds
 * the start (once), then runs `followStep` (rotation, truncation, new lines). `tailBytes` runs
 * it on paced change signals; specs run it by hand between explicit file operations, on a
 * manual clock, so that each interleaving of writer, rotation and reader is chosen.
 */
import { DEFAULT_MAX_LINE_BYTES } from './lineChunk.js';
import { DEFAULT_CHUNK_SIZE } from './chunkReader.js';
import { DEFAULT_FINGERPRINT_BYTES } from './fileIdentity.js';
import { followReadBuffers, type ReadBufferPool } from './readBuffers.js';
import { readPosition, type ReadSettings, type TailBytes } from './fileCursor.js';
import { followStart, type StartAt } from './followStart.js';
import {
  closeAll,
  followStep,
  hasUnread,
  initialFollowState,
  park,
  reopenParked,
  statPath,
  type FollowContext,
  type FollowState,
} from './follower.js';
import { followStarts, followedOpenFiles, type IdleHolder, type OpenFiles } from './openFiles.js';

export interface FileFollowerSettings {
  readonly start: StartAt;
  readonly rotateGrace: number;
  readonly chunkSize?: number;
  readonly maxLineBytes?: number;
  readonly fingerprintBytes?: number;
  /** The time in ms (the scheduler's). */
  readonly now: () => number;
  /** Each chunk read (a lent view: valid during the call only). */
  readonly emit: (chunk: TailBytes) => void;
  /** A warning, not repeated while the same trouble lasts from step to step. */
  readonly onWarning: (message: string) => void;
  readonly stopped: () => boolean;
  /** The places for open live files it takes one of (default: the process's, `followedOpenFiles`). */
  readonly openFiles?: OpenFiles;
}

export interface FileFollower {
  /** One step; never rejects (trouble is warned about; the next step tries again). */
  readonly step: () => Promise<void>;
  /** Whether bytes wait that it has not read (synchronous stats; see `hasUnread`). */
  readonly hasUnread: () => boolean;
  /** Closes every file it holds. */
  readonly close: () => Promise<void>;
  readonly state: FollowState;
}

export function fileFollower(path: string, settings: FileFollowerSettings): FileFollower {
  return new PathFollower(path, settings);
}

/**
 * A follower: its state and context in fields, its steps as methods (a process following ten
 * thousand files holds ten thousand: no closures each but `emit` and `stopped`, which the
 * readers are handed).
 */
class PathFollower implements FileFollower, FollowContext, ReadSettings, IdleHolder {
  readonly state = initialFollowState();
  readonly settings: ReadSettings = this;
  readonly rotateGrace: number;
  readonly maxLineBytes: number;
  readonly fingerprintBytes: number;
  readonly emit: (chunk: TailBytes) => void;
  readonly stopped: () => boolean;
  private readonly pool: ReadBufferPool;
  private lent: Buffer[] | undefined;
  private lastWarning: string | undefined;
  private warned = false;
  private start: StartAt | undefined;
  /**
   * A place among the open live files (openFiles.ts), held while the live file is open; given
   * up when another follower waits for one while this one is between steps.
   */
  private readonly openFiles: OpenFiles;
  private holding = false;
  private parking: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly given: FileFollowerSettings,
  ) {
    const { chunkSize = DEFAULT_CHUNK_SIZE, maxLineBytes = DEFAULT_MAX_LINE_BYTES, fingerprintBytes = DEFAULT_FINGERPRINT_BYTES } = given;
    this.maxLineBytes = maxLineBytes;
    this.fingerprintBytes = fingerprintBytes;
    this.rotateGrace = given.rotateGrace;
    this.emit = given.emit;
    this.stopped = given.stopped;
    this.start = given.start;
    // Read buffers are borrowed from the process's pool for the length of a step (see readBuffers.ts).
    this.pool = followReadBuffers(chunkSize);
    this.openFiles = given.openFiles ?? followedOpenFiles();
  }

  get buffers(): readonly Buffer[] {
    if (this.lent === undefined) throw new Error('read outside a step');
    return this.lent;
  }

  now(): number {
    return this.given.now();
  }

  /** A warning, not repeated while the same trouble lasts from step to step. */
  warn(message: string): void {
    this.warned = true;
    if (message !== this.lastWarning) this.given.onWarning(message);
    this.lastWarning = message;
  }

  step(): Promise<void> {
    if (this.start === undefined) return this.stepOnce();
    // The first step: a few hundred followers of the process at once (openFiles.ts, `followStarts`).
    return followStarts().within(() => this.stepOnce());
  }

  hasUnread(): boolean {
    return hasUnread(this, this.state);
  }

  async close(): Promise<void> {
    if (this.parking !== undefined) await this.parking;
    await closeAll(this.state);
    this.release();
  }

  private parkNow(): Promise<void> {
    this.holding = false;
    this.parking = park(this.state).finally(() => (this.parking = undefined));
    return this.parking;
  }

  private release(): void {
    this.openFiles.setBusy(this);
    if (!this.holding) return;
    this.holding = false;
    this.openFiles.release();
  }

  private async stepOnce(): Promise<void> {
    const { state } = this;
    this.warned = false;
    this.openFiles.setBusy(this);
    try {
      if (this.parking !== undefined) await this.parking;
      // A closed file that has not changed (same file, size and mtime): nothing to read, no place needed.
      if (!this.holding && (await this.parkedUnchanged())) return;
      if (!this.holding) {
        await this.openFiles.acquire();
        this.holding = true;
      }
      // The start reads no buffer of the pool's (a saved file's rest in a .gz brings its own):
      // ten thousand followers starting at once wait together for one listing of their folder,
      // not a few at a time with a pair of buffers each.
      const starting = this.start !== undefined;
      let st = starting ? await statPath(this) : undefined;
      if (this.start !== undefined && !this.stopped()) {
        if (await followStart(this, state, st, this.start)) this.start = undefined;
      }
      if (this.start === undefined && !this.stopped()) {
        this.lent = await this.pool.take();
        try {
          // Stat'ed once its turn came, as the step reads (a start's stat is the one it started from).
          if (!starting) st = await statPath(this);
          if (await this.reopen(st)) await followStep(this, state, st);
        } finally {
          this.pool.give(this.lent);
          this.lent = undefined;
        }
      }
    } catch (err) {
      this.warn(`${this.path}: ${(err as Error).message}`);
    }
    if (!this.warned) this.lastWarning = undefined;
    if (this.stopped()) return;
    if (state.current === undefined) this.release();
    else this.openFiles.setIdle(this);
  }

  /** Whether the live file is parked and the path still names it, unchanged since it was read (one stat). */
  private async parkedUnchanged(): Promise<boolean> {
    const { parked } = this.state;
    if (parked === undefined || this.start !== undefined || this.state.retired.length > 0) return false;
    const st = await statPath(this);
    return (
      !!st && st.dev === parked.dev && st.ino === parked.ino && st.size === readPosition(parked) && st.mtimeMs === this.state.liveMtime
    );
  }

  /**
   * A parked live file opened again; if the path names another file now (rotated away or
   * deleted while closed), its rest is looked for as a saved position's is (its rotated
   * sibling, even compressed), then the live file read. False: try again at the next step.
   */
  private async reopen(st: Awaited<ReturnType<typeof statPath>>): Promise<boolean> {
    const { state } = this;
    const parked = state.parked;
    if (parked === undefined) return true;
    const reopened = await reopenParked(this, state, st);
    if (reopened !== false) return reopened === true;
    state.parked = undefined;
    const { dev, ino, fingerprint, head, splitter } = parked;
    const position = { dev, ino, fingerprint, fingerprintBytes: head.length, offset: splitter.lineOffset };
    if (await followStart(this, state, st, { position })) return true;
    state.parked = parked;
    return false;
  }

  /** @internal Asked by the open files' budget (`setIdle`): closes the live file, giving its place up. */
  closeForOthers(): Promise<void> {
    return this.parkNow();
  }
}
