/**
 * A log writer for the tail tests, run as a child process:
 *   node writerProcess.js <path> <count> <linesPerSecond> [reopenDelayMs]
 * Prints "ready" once the file is open, then appends lines "1 ...", "2 ...", ... up to
 * <count> (each its own write, O_APPEND), prints "done <count>" and exits. On SIGHUP it reopens <path> (creating it) after
 * reopenDelayMs, writing on to the old file until then, like a server told to reopen logs.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const [path = '', countArg = '1000', rateArg = '2000', delayArg = '0'] = process.argv.slice(2);
const count = Number(countArg);
const rate = Number(rateArg);
const reopenDelay = Number(delayArg);
const padding = ' - - [11/Jun/2024:10:00:00 +0000] "GET /api/item HTTP/1.1" 200 512';

let fd = openSync(path, 'a');
let written = 0;

process.on('SIGHUP', () => {
  setTimeout(() => {
    closeSync(fd);
    fd = openSync(path, 'a');
  }, reopenDelay);
});
process.stdout.write('ready\n');
const startedAt = performance.now();

const timer = setInterval(() => {
  const due = Math.min(count, Math.floor(((performance.now() - startedAt) / 1000) * rate));
  while (written < due) {
    written += 1;
    writeSync(fd, `${written}${padding}\n`);
  }
  if (written >= count) {
    clearInterval(timer);
    closeSync(fd);
    process.stdout.write(`done ${written}\n`);
    process.exit(0);
  }
}, 2);
