/** A log format string that apachescan cannot compile (unknown directive, missing `%t`...). */
export class LogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogFormatError';
  }
}
