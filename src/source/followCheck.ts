/**
 * What following a path needs before its tailer starts, checked the way the CLI checks it: a
 * directory is refused (`EISDIR`), a missing file is waited for only when the folder it will
 * appear in exists (else `ENOENT` for the folder), and a gzip file, which never grows, is
 * refused when it is the only file followed.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defer, ignoreElements, type Observable } from 'rxjs';
import { FileError, describeFileProblem } from '../errors.js';
import { isGzipFile } from './gzipFile.js';

/** Completes without a value when `path` can be followed; errors with a `FileError` when not. */
export function followCheck(path: string, only: boolean): Observable<never> {
  return defer(() => check(path, only)).pipe(ignoreElements());
}

async function check(path: string, only: boolean): Promise<void> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    if (info.code !== 'ENOENT') throw fileError(path, info);
    const dir = dirname(resolve(path));
    const folder = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
    if (folder instanceof Error) throw fileError(dir, folder);
    if (!folder.isDirectory()) throw new FileError(`cannot follow ${path}: ${dir} is not a folder`, dir, 'ENOTDIR');
    return;
  }
  if (info.isDirectory()) throw new FileError(describeFileProblem(path, 'EISDIR', ''), path, 'EISDIR');
  if (only && (await isGzipFile(path))) {
    throw new FileError(`${path} is gzip-compressed and cannot be followed; read it once (not following) or decompress it`, path);
  }
}

function fileError(path: string, err: NodeJS.ErrnoException): FileError {
  return new FileError(describeFileProblem(path, err.code, err.message), path, err.code, { cause: err });
}
