import { closeSync, openSync, writeSync } from 'node:fs';
import { writeCheckpointSync } from './writeCheckpointSync.js';

/** A checkpoint that fits in this many bytes is rewritten in place, in one write. */
const PAGE = 4096;

/**
 * Saves the checkpoints of one run to one path, cheaply enough to save after every line that
 * made reports (what a `kill -9` may repeat is then at most one line's reports). The first
 * save, and any checkpoint longer than a page, goes through `writeCheckpointSync` (temp file +
 * rename); after that, the file (padded to a page) is rewritten in place by a single one-page
 * `write` at offset 0: a process killed in the middle of it (kill -9, a crash) leaves the old
 * page or the new one, never a mix (the kernel copies a page-sized write whole, and a fatal
 * signal is only acted on between pages). About 15 µs per save instead of ~0.6 ms.
 * Errors (disk full, permission) are thrown; the caller warns and goes on.
 */
export class CheckpointWriter {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  /**
   * @param replace write a new file (temp + rename) even when an in-place write would do, e.g.
   *   for the last save of a run: it fails where creating a file fails (disk full, read-only).
   */
  save(value: unknown, replace = false): void {
    const text = `${JSON.stringify(value)}\n`;
    const fits = Buffer.byteLength(text) < PAGE;
    if (fits && !replace && this.fd !== undefined) {
      try {
        writeSync(this.fd, padded(text), 0, PAGE, 0);
        return;
      } catch (err) {
        this.close();
        throw err;
      }
    }
    this.close();
    writeCheckpointSync(this.path, fits ? padded(text) : text, true);
    if (fits) this.fd = openSync(this.path, 'r+');
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** `text` followed by spaces and a newline to exactly a page (JSON allows trailing whitespace). */
function padded(text: string): Buffer {
  const page = Buffer.alloc(PAGE, 0x20);
  const n = page.write(text, 0, 'utf8');
  page[n - 1] = 0x20;
  page[PAGE - 1] = 0x0a;
  return page;
}
