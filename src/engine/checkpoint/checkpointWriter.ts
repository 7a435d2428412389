import { accessSync, closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeCheckpointSync } from './writeCheckpointSync.js';

/** A checkpoint that fits in this many bytes is rewritten in place, in one write. */
const PAGE = 4096;

export interface CheckpointWriterOptions {
  /**
   * Keep a count of the reports handed over as the checkpoint's first field, `sent`, which
   * `markSent` rewrites in place between saves (see `markSent`).
   */
  readonly countSent?: boolean;
}

/**
 * Saves the checkpoints of one run to one path. The first save, and any checkpoint longer
 * than a page, goes through `writeCheckpointSync` (temp file fsynced + rename + folder fsynced); after that, the file
 * (padded to a page) is rewritten in place by a single one-page `write` at offset 0: a process
 * killed in the middle of it (kill -9, a crash) leaves the old page or the new one, never a
 * mix (the kernel copies a page-sized write whole, and a fatal signal is only acted on between
 * pages). About 15 µs per save instead of ~0.6 ms. Errors (disk full, permission, a folder
 * no longer writable, even when the in-place write itself went through) are thrown; the
 * caller warns and goes on.
 */
export class CheckpointWriter {
  /** The file written last, open for in-place writes. */
  private fd: number | undefined;
  /** That file is exactly one page (a page-sized checkpoint may overwrite it in place). */
  private onePage = false;
  private sent = 0;

  constructor(
    readonly path: string,
    private readonly options: CheckpointWriterOptions = {},
  ) {}

  /**
   * @param replace write a new file (temp + rename) even when an in-place write would do, e.g.
   *   for the last save of a run: it fails where creating a file fails (disk full, read-only).
   */
  save(value: object, replace = false): void {
    const text = `${this.options.countSent === true ? withSent(this.sent, value) : JSON.stringify(value)}\n`;
    const fits = Buffer.byteLength(text) < PAGE;
    if (fits && !replace && this.fd !== undefined && this.onePage) {
      try {
        writeSync(this.fd, padded(text), 0, PAGE, 0);
      } catch (err) {
        this.close();
        throw err;
      }
      // A folder made read-only since the file was opened (a read-only bind mount) still takes
      // writes through the open descriptor (kept: the file stays current), but the last save of
      // the run, a new file, will fail: say so now, not at the stop (one access(2), a µs).
      accessSync(dirname(this.path), constants.W_OK);
      return;
    }
    this.close();
    writeCheckpointSync(this.path, fits ? padded(text) : text, true);
    this.fd = openSync(this.path, 'r+');
    this.onePage = fits;
  }

  /**
   * Records that `count` reports have been handed over, in place: one small write into the
   * first field of the checkpoint file, about as atomic as a save (it lies within one page)
   * and far cheaper, so it can follow every report while full saves are batched. A restart
   * from an older save makes those reports again and knows to hold back the first `count`.
   * Without a file yet (before the first save), this run's own next save carries the count.
   * A checkpoint left by an earlier run is taken over (its `sent` field rewritten) if it has one.
   */
  markSent(count: number): void {
    this.sent = count;
    if (this.options.countSent !== true) return;
    if (this.fd === undefined) this.adopt();
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, Buffer.from(sentDigits(count)), 0, SENT_WIDTH, SENT_AT);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.onePage = false;
  }

  /** Opens the checkpoint an earlier run left, if it starts with a `sent` field. */
  private adopt(): void {
    let fd: number;
    try {
      fd = openSync(this.path, 'r+');
    } catch {
      return;
    }
    const head = Buffer.alloc(SENT_AT);
    if (readSync(fd, head, 0, SENT_AT, 0) === SENT_AT && head.toString('latin1') === SENT_KEY) this.fd = fd;
    else closeSync(fd);
  }
}

const SENT_KEY = '{"sent":';
/** Where the digits of `sent` start, and how many characters they take (right-aligned, space-padded). */
const SENT_AT = SENT_KEY.length;
const SENT_WIDTH = 16;

/** `count` right-aligned in SENT_WIDTH characters (JSON allows the spaces before a number). */
function sentDigits(count: number): string {
  return String(count).padStart(SENT_WIDTH, ' ');
}

/** `value` as JSON with `sent` first, at a fixed offset and width. */
function withSent(sent: number, value: object): string {
  const rest = JSON.stringify(value);
  return `${SENT_KEY}${sentDigits(sent)}${rest === '{}' ? '}' : `,${rest.slice(1)}`}`;
}

/** `text` followed by spaces and a newline to exactly a page (JSON allows trailing whitespace). */
function padded(text: string): Buffer {
  const page = Buffer.alloc(PAGE, 0x20);
  const n = page.write(text, 0, 'utf8');
  page[n - 1] = 0x20;
  page[PAGE - 1] = 0x0a;
  return page;
}
