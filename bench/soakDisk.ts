/**
 * The checkpoint's own small disk for the soak: a 512 KiB tmpfs (root only), filled to ENOSPC and
 * freed again on demand.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class SmallDisk {
  private readonly filler: string;

  private constructor(readonly dir: string) {
    this.filler = join(dir, 'filler');
  }

  /** Mounts a tmpfs at `dir`, or says why not. */
  static mount(dir: string): SmallDisk | string {
    if (process.getuid?.() !== 0) return 'not root: the full-disk fault is skipped';
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { stdio: 'pipe' });
    } catch (err) {
      return `cannot mount a tmpfs (${String((err as { stderr?: Buffer }).stderr ?? err).trim()}): the full-disk fault is skipped`;
    }
    return new SmallDisk(dir);
  }

  /** Writes a file until the disk is full. */
  fill(): void {
    const fd = openSync(this.filler, 'a');
    const block = Buffer.alloc(4096, 120);
    try {
      for (;;) writeSync(fd, block);
    } catch {
      // ENOSPC: full.
    }
    try {
      for (;;) writeSync(fd, block.subarray(0, 1));
    } catch {
      // the last bytes too
    } finally {
      closeSync(fd);
    }
  }

  free(): void {
    rmSync(this.filler, { force: true });
  }

  unmount(): void {
    this.free();
    try {
      execFileSync('umount', [this.dir], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
    }
  }
}
