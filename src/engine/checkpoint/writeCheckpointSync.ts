import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';

/** The file system calls `writeCheckpointSync` makes (Node's `fs`; a spec may record them). */
export type CheckpointFs = Pick<
  typeof nodeFs,
  'mkdirSync' | 'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'unlinkSync'
>;

/**
 * Writes a checkpoint atomically, durably and synchronously: a temp file beside it, written
 * and `fsync`ed, renamed over the checkpoint, and the folder `fsync`ed, so that it lands right
 * after the events it accounts for were written, before anything else runs, and survives a
 * power cut as well as a `kill -9` (the old checkpoint or the new one, never an empty file).
 * `serialized`: `value` is the file's content already. Throws on I/O errors (disk full,
 * permission): the caller warns and goes on.
 */
export function writeCheckpointSync(path: string, value: unknown, serialized = false, fs: CheckpointFs = nodeFs): void {
  const temp = `${path}.${process.pid}.tmp`;
  const content = serialized ? (value as string | Buffer) : `${JSON.stringify(value)}\n`;
  try {
    fs.mkdirSync(dirname(path), { recursive: true });
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, path);
  } catch (err) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // nothing to clean up
    }
    throw err;
  }
  syncFolder(dirname(path), fs);
}

/** `fsync` of a folder, so that a rename in it is on disk. Where a folder cannot be opened or synced (some file systems), the rename stands as it is. */
function syncFolder(dir: string, fs: CheckpointFs): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // EINVAL on file systems without directory fsync: nothing more to do
  } finally {
    fs.closeSync(fd);
  }
}
