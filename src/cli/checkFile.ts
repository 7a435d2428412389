import { open, stat } from 'node:fs/promises';
import { UsageError } from './usageError.js';
import { describeFileProblem } from '../errors.js';
import { notRegularFile } from '../source/followCheck.js';

/**
 * Fails with a one-line UsageError when `path` is missing, a directory, not a regular file (a
 * named pipe, a socket, a device: opening one could block for ever) or unreadable. A
 * regular file is opened and its first byte read, as the reader will: permissions alone do
 * not tell (root reads a mode-000 file; `/proc/1/mem` refuses to open whatever its mode).
 */
export async function checkReadableFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UsageError(`${path} is a directory, not a log file`);
    if (!info.isFile()) throw new UsageError(notRegularFile(path, info));
    await readFirstByte(path);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(describeFileError(path, err), { cause: err });
  }
}

async function readFirstByte(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.read(Buffer.alloc(1), 0, 1, 0);
  } finally {
    await handle.close();
  }
}

export function describeFileError(path: string, err: unknown): string {
  return describeFileProblem(path, (err as NodeJS.ErrnoException | undefined)?.code, (err as Error | undefined)?.message ?? String(err));
}
