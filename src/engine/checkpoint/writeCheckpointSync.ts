import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a checkpoint atomically and synchronously (temp file beside it, then rename), so
 * that it lands right after the events it accounts for were written, before anything else
 * runs. `serialized`: `value` is the file's content already. Throws on I/O errors (disk full, permission): the caller warns and goes on.
 */
export function writeCheckpointSync(path: string, value: unknown, serialized = false): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, serialized ? (value as string | Buffer) : `${JSON.stringify(value)}\n`, { mode: 0o600 });
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    throw err;
  }
}
