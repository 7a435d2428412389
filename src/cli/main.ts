import { createCli } from './createCli.js';

const USER_ERRORS = new Set(['UsageError', 'LogFormatError', 'MonitorOptionsError', 'SinkError', 'CheckpointError']);

/**
 * Runs the command line and returns the exit code: 0 on success, 2 for a user mistake
 * (one line on stderr, no stack trace), 1 for an unexpected failure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createCli(argv).parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof Error && USER_ERRORS.has(err.name)) {
      process.stderr.write(`apachescan: ${err.message.split('\n')[0]}\n`);
      return 2;
    }
    process.stderr.write(`apachescan: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
