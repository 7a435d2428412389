import { stat } from 'node:fs/promises';
import { catchError, throwError, type Observable } from 'rxjs';
import { filesLog, monitorFiles, type MonitorFilesOptions } from '../engine/monitorFiles.js';
import type { MonitorOptions } from '../engine/monitor.js';
import { defaultCheckpointPath } from '../engine/checkpoint/checkpointPath.js';
import { loadFollowCheckpoint } from '../engine/follow/loadFollowCheckpoint.js';
import { OTHER_SETTINGS, type FollowCheckpoint } from '../engine/follow/checkpointData.js';
import { FileError, START_AFRESH } from '../errors.js';
import { expandGlob, hasGlob } from '../source/glob.js';
import { followable } from '../source/followCheck.js';
import type { FilePosition } from '../source/fileIdentity.js';
import type { AlertEvent, MonitorEvent } from '../types.js';
import { escapeControl } from '../sinks/escapeControl.js';
import { checkReadableFile } from './checkFile.js';
import type { CliIo } from './io.js';
import { UsageError } from './usageError.js';

export interface FilesConfig {
  readonly files: readonly string[];
  readonly once: boolean;
  readonly history: boolean;
  readonly since?: number;
  readonly until?: number;
  readonly by?: 'file' | 'vhost';
  readonly parseWorkers?: number;
  /** `--checkpoint PATH`, `--no-checkpoint` (false), or the default (undefined). */
  readonly checkpoint: string | false | undefined;
  /** `--reset`: ignore a saved checkpoint. */
  readonly reset: boolean;
  /** `--from-end`: files there at the start are read from their end. */
  readonly fromEnd: boolean;
}

/**
 * The files of the command line (one or several paths and globs), read once or followed: one
 * `monitorFiles` over them. Replay checks every file first (a pattern matching nothing, a
 * missing or unreadable file: one line, exit 2); follow mode waits for files that do not exist
 * yet (in a folder that does), picks up new matches, loads and checks the checkpoint, and
 * shows a progress bar while a big backlog of one file is read.
 */
/** The engine's events, and the alert a resumed checkpoint says is firing. */
export interface Opened {
  readonly events$: Observable<MonitorEvent>;
  /** Resumed from a checkpoint while the alert fires: the transition an earlier run reported. */
  readonly firing?: AlertEvent | undefined;
  /** Likewise, the alert rules firing then (those still configured the same way). */
  readonly firingRules?: readonly AlertEvent[];
}

export async function openFiles(
  config: FilesConfig,
  monitor: MonitorOptions & Pick<MonitorFilesOptions, 'outbox'>,
  stop$: Observable<unknown>,
  io: CliIo,
): Promise<Opened> {
  const warn = (message: string): void => void io.stderr.write(`apachescan: ${escapeControl(message)}\n`);
  const files = config.once ? await checkReplayFiles(config.files) : config.files;
  let checkpoint: { path: string; saved: FollowCheckpoint | undefined } | undefined;
  let onRead: ((position: FilePosition) => void) | undefined;
  if (!config.once) {
    for (const file of files) {
      if (hasGlob(file)) continue;
      if (!(await checkFollowable(file, files.length === 1)))
        io.stderr.write(`apachescan: waiting for ${escapeControl(file)} to be created (Ctrl-C to stop)\n`);
    }
    checkpoint = await loadCheckpointOf(config, monitor);
    const only = files.length === 1 && !hasGlob(files[0] as string) ? (files[0] as string) : undefined;
    if (only !== undefined)
      onRead = await catchUpProgress(
        only,
        checkpoint?.saved === undefined ? (config.fromEnd ? undefined : 0) : checkpoint.saved.files[only]?.replay.offset,
      );
  }
  const events$ = monitorFiles(files, {
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...monitor,
    follow: !config.once,
    fromEnd: config.fromEnd,
    history: config.history,
    ...(config.since === undefined ? {} : { since: config.since }),
    ...(config.until === undefined ? {} : { until: config.until }),
    ...(config.by === undefined ? {} : { by: config.by }),
    ...(config.parseWorkers === undefined ? {} : { parseWorkers: config.parseWorkers }),
    ...(onRead === undefined ? {} : { onRead }),
    stop: stop$,
    onWarning: warn,
  }).pipe(
    catchError((err: unknown) => throwError(() => (hasCode(err) ? new UsageError(escapeControl(err.message), { cause: err }) : err))),
  );
  const alert = checkpoint?.saved?.alert;
  const same = (rule: unknown): boolean => (monitor.rules ?? []).some((r) => JSON.stringify(r) === JSON.stringify(rule));
  const firingRules = (checkpoint?.saved?.rules ?? [])
    .filter((r) => r.firing && r.fired !== undefined && same(r.rule))
    .map((r) => r.fired as AlertEvent);
  return { events$, firing: alert?.firing === true ? alert.fired : undefined, ...(firingRules.length === 0 ? {} : { firingRules }) };
}

/** `--once`: every pattern expanded and every file checked now (one line, exit 2, for the first that fails). */
async function checkReplayFiles(patterns: readonly string[]): Promise<string[]> {
  const expanded = new Set<string>();
  for (const pattern of patterns) {
    const paths = await expandGlob(pattern);
    if (paths.length === 0) throw new UsageError(`no file matches ${escapeControl(pattern)}`);
    for (const path of paths) expanded.add(path);
  }
  // A few at a time (a glob of thousands), the first failure in order reported.
  const files = [...expanded];
  for (let i = 0; i < files.length; i += CHECKS_AT_ONCE) {
    const batch = files.slice(i, i + CHECKS_AT_ONCE).map((path) =>
      checkReadableFile(path).then(
        () => undefined,
        (err: unknown) => err,
      ),
    );
    const failed = (await Promise.all(batch)).find((err) => err !== undefined);
    if (failed !== undefined) throw failed;
  }
  return files;
}

/** Files checked at once before a replay. */
const CHECKS_AT_ONCE = 32;

function hasCode(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** Follow mode: the one checkpoint of all the files (default under $XDG_STATE_HOME), loaded, migrated and checked. */
async function loadCheckpointOf(
  config: FilesConfig,
  monitor: MonitorOptions,
): Promise<{ path: string; saved: FollowCheckpoint | undefined } | undefined> {
  if (config.checkpoint === false) return undefined;
  const path = config.checkpoint ?? defaultCheckpointPath(filesLog(config.files));
  if (config.reset) return { path, saved: undefined };
  const saved = await loadFollowCheckpoint(path, config.files, monitor).catch((err: Error) => {
    throw new UsageError(inFlags(err.message), { cause: err });
  });
  return { path, saved };
}

/** A checkpoint message in the command line's terms: its flags, and `--reset` to start afresh. */
function inFlags(message: string): string {
  return message
    .replace(OTHER_SETTINGS, 'it was made with another --interval, --lateness, --alert-window or --format')
    .replace(START_AFRESH, '(use --reset to start over)');
}

/**
 * A missing file is fine (it may be created later; returns false), as long as the folder it
 * will appear in exists; a directory, a pipe or device, a file that cannot be read, a bad
 * path, or one gzip file followed alone is not. The engine's check (`followable`) in the
 * command line's words, then a first byte read.
 */
async function checkFollowable(file: string, only: boolean): Promise<boolean> {
  const gzipAlone = (path: string): string =>
    `${path} is gzip-compressed and cannot be followed; read it with --once (or zcat FILE | apachescan -)`;
  const present = await followable(file, only, gzipAlone).catch((err: unknown) => {
    throw err instanceof FileError ? new UsageError(err.message, { cause: err }) : err;
  });
  if (present) await checkReadableFile(file);
  return present;
}

/**
 * A progress bar on stderr (TTY only) while the backlog present at start is read: from the
 * start offset to the file's size then, cleared once it is reached.
 */
async function catchUpProgress(file: string, from: number | undefined): Promise<((position: { offset: number }) => void) | undefined> {
  if (from === undefined || process.stderr.isTTY !== true) return undefined;
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size - from < CATCH_UP_BAR_FROM) return undefined;
  const { createProgress } = await import('../sinks/tty/index.js');
  const bar = createProgress({ stream: process.stderr, total: size - from });
  let done = false;
  return ({ offset }) => {
    if (done) return;
    if (offset >= size) {
      done = true;
      bar.done();
    } else bar.update(Math.max(0, offset - from));
  };
}

/** Backlogs smaller than this are read too fast for a bar to help. */
const CATCH_UP_BAR_FROM = 16 * 1024 * 1024;
