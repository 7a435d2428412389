/**
 * The base class of every error apachescan throws on purpose. An embedder tells apachescan's
 * own errors from anything else with one `instanceof ApachescanError`, and each kind by its
 * own class. Each sets `name` to its class name. The CLI prints their
 * message on one line and exits 2.
 *
 * | class | thrown by | when |
 * | --- | --- | --- |
 * | {@link MonitorOptionsError} | `monitor`, `monitorParsed`, `monitorFiles`, `followLog`, `readLogFile`, every operator | synchronously, when called with a bad option |
 * | {@link LogFormatError} | the same, and `parseAccessLog` | synchronously, for a format it cannot compile (a `MonitorOptionsError` too) |
 * | {@link FileError} | `readLogFile`, `monitorFiles`, `followLog` (as the Observable's error) | the file cannot be opened or read (`code`: `ENOENT`, `EISDIR`, `EACCES`...); a pattern that matches nothing (read once); following: a directory, a missing folder, one gzip file |
 * | {@link CheckpointError} | `loadFollowCheckpoint`, `checkFollowCheckpoint`, `followLog`, `monitorFiles` | a checkpoint that cannot be resumed from |
 * | {@link SinkError} | the Prometheus exporter, the InfluxDB writer, the Alertmanager pusher, the alert command | an output cannot start: bad address or URL, port in use, bad option |
 */
export class ApachescanError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An option value the engine cannot work with: a bad number, inconsistent durations (an
 * alert window that is not a multiple of the interval), a bad format. Thrown synchronously
 * when the entry point or operator is called, never inside the stream.
 */
export class MonitorOptionsError extends ApachescanError {}

/** A log format string that apachescan cannot compile (unknown directive, missing `%t`...). */
export class LogFormatError extends MonitorOptionsError {}

/**
 * A log file that cannot be opened or read. `code` is the system error code (`ENOENT`,
 * `EISDIR`, `EACCES`, ...), `path` the file; the original error is the `cause`.
 */
export class FileError extends ApachescanError {
  /** The system error code, e.g. `ENOENT`. */
  readonly code: string | undefined;
  /** The file that could not be read. */
  readonly path: string;
  constructor(message: string, path: string, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
    this.code = code;
  }
}

/** A checkpoint file that exists but cannot be used (unreadable, corrupt, another version or log or settings). */
export class CheckpointError extends ApachescanError {
  /** The checkpoint file. */
  readonly path: string;
  constructor(message: string, path: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/**
 * How a {@link CheckpointError} for a checkpoint that cannot be resumed from ends: in the
 * library's terms (the CLI says `--reset` instead).
 */
export const START_AFRESH = '(start afresh: pass no saved checkpoint)';

/**
 * A consumer (sink) cannot start or run: bad listen address, port in use, bad URL. The
 * message is one line meant for the user, e.g. `cannot listen on 127.0.0.1:9100: address
 * already in use`.
 */
export class SinkError extends ApachescanError {
  /** The system error code when there is one (`EADDRINUSE`, `EACCES`, ...). */
  readonly code: string | undefined;
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * A system error from reading `path` as a {@link FileError} with a one-line message; any
 * other value (already an ApachescanError, a bug) is returned unchanged.
 */
export function toFileError(err: unknown, path: string): unknown {
  if (err instanceof ApachescanError || !(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return err;
  return new FileError(describeFileProblem(path, code, err.message), path, code, { cause: err });
}

/** The one-line message for a file that cannot be read, by its error code. */
export function describeFileProblem(path: string, code: string | undefined, message: string): string {
  switch (code) {
    case 'ENOENT':
      return `cannot read ${path}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `cannot read ${path}: permission denied`;
    case 'EISDIR':
      return `${path} is a directory, not a log file`;
    case 'EIO':
      return `cannot read ${path}: input/output error`;
    default:
      return `cannot read ${path}: ${message}`;
  }
}
