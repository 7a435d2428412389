/** Temp folders for the tests: every one is removed by `removeTempDirs()` or when the test process exits. */
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
process.once('exit', () => removeTempDirs());

/** A fresh temp folder for one test, removed by `removeTempDirs()` or when the test process exits. */
export function tempDir(prefix = 'apachescan-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/**
 * Removes every temp folder made so far (`stopFollowers` and the tailFile `cleanUp` call it).
 * A folder that cannot go yet (a file system still mounted in it, unmounted by a later hook)
 * is kept for the next call, or the exit.
 */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      created.push(dir);
    }
  }
}

/** Sets the folder's mtime `ms` into the past (its names unchanged): quiet for that long (`QUIET_MS`, src/source/dirListing.ts). */
export function quietFor(dir: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(dir, then, then);
}
