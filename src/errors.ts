/** Named errors for user mistakes: the CLI prints their message on one line and exits 2. */

/** An option value the engine cannot work with (bad number, inconsistent durations, bad format). */
export class MonitorOptionsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MonitorOptionsError';
  }
}

/**
 * A consumer (sink) cannot start or run: bad listen address, port in use, bad URL. The
 * message is one line meant for the user, e.g. `cannot listen on 127.0.0.1:9100: address
 * already in use`.
 */
export class SinkError extends Error {
  /** The system error code when there is one (`EADDRINUSE`, `EACCES`, ...). */
  readonly code: string | undefined;
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SinkError';
    this.code = code;
  }
}
