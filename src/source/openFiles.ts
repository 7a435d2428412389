/**
 * The followed files' descriptors, within the process's open-files limit (`ulimit -n`, often
 * 1024): a follower holds one of `limit` places while its live file is open. When followers
 * wait for a place, one that has just ended a step closes its live file ("parks" it: its
 * identity, read position and unterminated line are kept) and gives its place up; its next
 * step waits for a place and opens the file again by path, checking its device + inode (a
 * file rotated away meanwhile is found among its rotated siblings, as a checkpoint's position
 * is: `followStart.ts`). Ten thousand followed files hold at most `limit` descriptors, not
 * one each (and never fail with EMFILE and lose lines); below the limit nothing is closed.
 * Places are granted in the order asked.
 */
import { readFileSync } from 'node:fs';

/** A holder of a place whose file can be closed for another follower (`OpenFiles.setIdle`). */
export interface IdleHolder {
  /** Closes its file, keeping what it needs to open it again. */
  closeForOthers(): Promise<void>;
}

export class OpenFiles {
  private readonly queue: (() => void)[] = [];
  private head = 0;
  /** Holders between two steps, least recently idle first, with what closes their file. */
  private readonly idle = new Set<IdleHolder>();
  /** Idle holders asked to close their file, not released yet. */
  private closing = 0;
  /** Places held now (at most `limit`). */
  held = 0;

  constructor(readonly limit: number) {}

  /** Followers waiting for a place. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** A place, once one is free (give it back with `release`); an idle holder is asked to close its file for it. */
  acquire(): Promise<void> {
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve();
    }
    const granted = new Promise<void>((resolve) => this.queue.push(resolve));
    this.evict();
    return granted;
  }

  /** `use` run while holding a place (a file opened and closed within it: a glob's files checked at start). */
  async within<T>(use: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await use();
    } finally {
      this.release();
    }
  }

  /** Gives a place back (to the first follower waiting, if any). */
  release(): void {
    if (this.head < this.queue.length) {
      const next = this.queue[this.head++] as () => void;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      }
      next();
      return;
    }
    this.held--;
  }

  /**
   * `holder` holds a place and is between two steps: its `closeForOthers` closes its file (asked
   * when a follower waits; its place is then given to that one). Closed now if one waits already.
   */
  setIdle(holder: IdleHolder): void {
    this.idle.delete(holder);
    this.idle.add(holder);
    this.evict();
  }

  /** `holder` steps (its file must stay open), or has given its place back. */
  setBusy(holder: IdleHolder): void {
    this.idle.delete(holder);
  }

  /** Asks idle holders, least recently idle first, to close their files: one per follower waiting. */
  private evict(): void {
    while (this.waiting > this.closing && this.idle.size > 0) {
      const holder = this.idle.values().next().value as IdleHolder;
      this.idle.delete(holder);
      this.closing++;
      void holder.closeForOthers().finally(() => {
        this.closing--;
        this.release();
      });
    }
  }
}

/**
 * Live files the followers of the process keep open at once: half the soft open-files limit
 * (the other half for rotated files being drained, sockets, the checkpoint, the outputs), at
 * least 16.
 */
export function defaultOpenFilesLimit(): number {
  return Math.max(16, Math.floor(softOpenFilesLimit() / 2));
}

/** The soft `RLIMIT_NOFILE` (Linux: /proc/self/limits), or 1024 where it cannot be read. */
export function softOpenFilesLimit(): number {
  try {
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match?.[1] !== undefined) return match[1] === 'unlimited' ? 1 << 20 : Number(match[1]);
  } catch {
    // not Linux
  }
  return 1024;
}

let shared: OpenFiles | undefined;

/** The process's budget of followed live files (created on first use). */
export function followedOpenFiles(): OpenFiles {
  return (shared ??= new OpenFiles(defaultOpenFilesLimit()));
}

/**
 * Followers in their first step (opening, listing their folder, reading what is there) at
 * once, in the process: ten thousand followed files start a few hundred at a time (each wave
 * shares a listing of their folder), not all at once, whose half-done steps would hold
 * hundreds of MB for a moment.
 */
export const FOLLOW_STARTS = 256;

let starts: OpenFiles | undefined;

/** The process's places for followers' first steps (see `FOLLOW_STARTS`). */
export function followStarts(): OpenFiles {
  return (starts ??= new OpenFiles(FOLLOW_STARTS));
}
