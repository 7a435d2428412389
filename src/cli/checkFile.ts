import { access, constants, stat } from 'node:fs/promises';
import { UsageError } from './usageError.js';

/** Fails with a one-line UsageError when `path` is missing, a directory or unreadable. */
export async function checkReadableFile(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new UsageError(`${path} is a directory, not a log file`);
    await access(path, constants.R_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(describeFileError(path, err), { cause: err });
  }
}

export function describeFileError(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `cannot read ${path}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `cannot read ${path}: permission denied`;
    case 'EISDIR':
      return `${path} is a directory, not a log file`;
    default:
      return `cannot read ${path}: ${(err as Error | undefined)?.message ?? String(err)}`;
  }
}
