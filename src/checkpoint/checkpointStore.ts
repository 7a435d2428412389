import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A checkpoint file that exists but cannot be used (corrupt, wrong version). */
export class CheckpointError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

/** Reads a saved checkpoint; `undefined` when there is none. Throws CheckpointError when unusable. */
export async function loadCheckpoint<T>(path: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(err as Error).message}`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(`checkpoint ${path} is corrupt (use --reset to start over)`, { cause: err });
  }
  if (!isValid(value)) throw new CheckpointError(`checkpoint ${path} is not an apachescan checkpoint of this version (use --reset to start over)`);
  return value;
}

/**
 * Writes a checkpoint atomically: a temp file beside it, then rename, so a crash leaves
 * either the old or the new checkpoint, never half of one. Rejects on I/O errors (disk full):
 * the caller decides whether to warn and go on.
 */
export async function saveCheckpoint(path: string, value: unknown): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, `${JSON.stringify(value)}\n`, { mode: 0o600 });
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
