import { access, constants, open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './usageError.js';
import { describeFileProblem } from '../errors.js';
import { notRegularFile } from '../source/followCheck.js';

/**
 * Fails with a one-line UsageError when `path` is missing, a directory, a named pipe, socket or
 * device outside /dev and /proc (opening one could block for ever), or unreadable. A
 * regular file is opened and its first byte read, as the reader will: permissions alone do
 * not tell (root reads a mode-000 file; `/proc/1/mem` refuses to open whatever its mode).
 */
export async function checkReadableFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UsageError(`${path} is a directory, not a log file`);
    if (info.isFile()) await readFirstByte(path);
    else if (inherited(path))
      await access(path, constants.R_OK); // read in sequence, as standard input is
    else throw new UsageError(notRegularFile(path, info));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(describeFileError(path, err), { cause: err });
  }
}

/**
 * A descriptor this process was given, named by path (`/dev/stdin`, `/dev/fd/63` from a shell's
 * `<(zcat old.log.gz)`): its writer is there; a named pipe made with mkfifo may have none, and
 * opening it would block until one comes.
 */
function inherited(path: string): boolean {
  return /^\/(dev|proc)\//.test(resolve(path));
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
