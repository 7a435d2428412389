import { escapeControl } from '../sinks/escapeControl.js';
import { createCli } from './createCli.js';
import { ApachescanError } from '../errors.js';
import { UsageError } from './usageError.js';
import { DeliveryError } from './deliveryError.js';

/**
 * Runs the command line and returns the exit code: 0 on success, 2 for a user mistake
 * (one line on stderr, no stack trace; also when lines were read but none parsed), 1 when an
 * output did not deliver everything (one line per such output: InfluxDB points left at exit,
 * an `--on-alert` command that failed, timed out or was dropped, an alert Alertmanager refused
 * or did not get) or for an unexpected failure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // The reader went away (`apachescan ... | head`): stop quietly, as Unix tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    process.stderr.write(`apachescan: cannot write the output: ${err.message}\n`);
    process.exit(1);
  });
  try {
    await createCli(argv).parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof ApachescanError || err instanceof UsageError) {
      process.stderr.write(`apachescan: ${escapeControl(err.message.split('\n')[0] ?? '')}\n`);
      return 2;
    }
    if (err instanceof DeliveryError) {
      for (const line of err.message.split('\n')) process.stderr.write(`apachescan: ${escapeControl(line)}\n`);
      return 1;
    }
    process.stderr.write(`apachescan: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
