/**
 * The InfluxDB sink cannot start: bad URL, unsupported scheme or precision, bad option.
 * The message is one line meant for the user, e.g.
 * `invalid --influx URL "ftp://x/write?db=web": the scheme must be http or https`.
 * Same shape and `name` as the Prometheus sink's error, so the CLI reports both alike.
 */
export class SinkError extends Error {
  /** A system error code when there is one; undefined for option mistakes. */
  readonly code: string | undefined;
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SinkError';
    this.code = code;
  }
}
