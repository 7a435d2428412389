/**
 * What following a path needs before its tailer starts, one check for the engine and the CLI
 * (each chooses its messages): a directory is refused (`EISDIR`), and so is anything else
 * that is not a regular file (a named pipe, a socket, a device: opening one could block; code
 * `EINVAL`); a missing file is waited for only when the folder it will appear in exists (else
 * `ENOENT` for the folder), and a gzip file, which never grows, is refused when it is the only
 * file followed.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defer, ignoreElements, type Observable } from 'rxjs';
import { FileError, describeFileProblem } from '../errors.js';
import { startsWithGzipMagic } from './gzipFile.js';
import { followStarts, followedOpenFiles } from './openFiles.js';

/** Completes without a value when `path` can be followed; errors with a `FileError` when not. */
export function followCheck(path: string, only: boolean): Observable<never> {
  return defer(() => followable(path, only)).pipe(ignoreElements());
}

/** The message for a gzip file followed alone (the CLI says it in its own terms). */
const GZIP_ALONE = (path: string): string =>
  `${path} is gzip-compressed and cannot be followed; read it once (not following) or decompress it`;

/**
 * Whether `path` exists now (true) or is to be waited for (false: missing, in a folder that
 * exists); a `FileError` when it cannot be followed. `gzipAlone` words the refusal of a gzip
 * file followed alone (`only`).
 */
export async function followable(path: string, only: boolean, gzipAlone: (path: string) => string = GZIP_ALONE): Promise<boolean> {
  return (await followedKind(path, only, only, gzipAlone)) !== 'missing';
}

/**
 * What following `path` starts with, checked as `followable` checks it, in as few fs calls as
 * can be (a glob of ten thousand files checks each): one stat, and for a regular file of two
 * bytes or more, when `gzip` asks, one read of those two (an open, a read, a close, within the
 * followers' places for descriptors: `openFiles.ts`). `missing`: waited for; `gzip`: read once.
 */
export async function followedKind(
  path: string,
  only: boolean,
  gzip = true,
  gzipAlone: (path: string) => string = GZIP_ALONE,
): Promise<'missing' | 'plain' | 'gzip'> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => err);
  if (info instanceof Error) {
    if (info.code !== 'ENOENT') throw fileError(path, info);
    const dir = dirname(resolve(path));
    const folder = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
    if (folder instanceof Error) throw fileError(dir, folder);
    if (!folder.isDirectory()) throw new FileError(`cannot follow ${path}: ${dir} is not a folder`, dir, 'ENOTDIR');
    return 'missing';
  }
  if (info.isDirectory()) throw new FileError(describeFileProblem(path, 'EISDIR', ''), path, 'EISDIR');
  if (!info.isFile()) throw new FileError(notRegularFile(path, info), path, 'EINVAL');
  if (!gzip || info.size < 2) return 'plain';
  // As a follower's first step (openFiles.ts): ten thousand files checked at once would open them all at once.
  const compressed = await followStarts().within(() => followedOpenFiles().within(() => startsWithGzipMagic(path)));
  if (!compressed) return 'plain';
  if (only) throw new FileError(gzipAlone(path), path);
  return 'gzip';
}

/** The one line for a path that names a pipe, a socket or a device: read it from standard input instead. */
export function notRegularFile(path: string, info: Stats): string {
  const kind = info.isFIFO() ? 'a named pipe' : info.isSocket() ? 'a socket' : 'a device';
  return `${path} is ${kind}, not a log file (read it as standard input: apachescan - < ${path})`;
}

function fileError(path: string, err: NodeJS.ErrnoException): FileError {
  return new FileError(describeFileProblem(path, err.code, err.message), path, err.code, { cause: err });
}
