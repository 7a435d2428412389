import { readFile } from 'node:fs/promises';
import { CheckpointError, START_AFRESH } from '../../errors.js';

export { CheckpointError };

/** Reads a saved checkpoint; `undefined` when there is none. Throws CheckpointError when unusable. */
export async function loadCheckpoint<T>(path: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(err as Error).message}`, path, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(`checkpoint ${path} is corrupt ${START_AFRESH}`, path, { cause: err });
  }
  if (!isValid(value))
    throw new CheckpointError(`checkpoint ${path} is not an apachescan checkpoint of this version ${START_AFRESH}`, path);
  return value;
}
