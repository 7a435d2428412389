/**
 * The single-thread floor of a replay: the least a program must do to see every line of a
 * file, 1 MiB reads into one buffer and a newline count (`indexOf`), on one thread, nothing
 * parsed. The comparison table shows each row's ratio to it (issue 21: a replay within 2x).
 *
 *   node dist/bench/floor.js FILE     prints the number of lines
 */
import { closeSync, openSync, readSync } from 'node:fs';

const READ = 1 << 20;
const NL = 0x0a;

/** Lines of the file at `path` (a last line without a newline counts). */
export function countLinesFloor(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ);
    let lines = 0;
    let last = NL;
    for (;;) {
      const n = readSync(fd, buffer, 0, READ, null);
      if (n === 0) break;
      const bytes = n === READ ? buffer : buffer.subarray(0, n);
      for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, i + 1)) lines++;
      last = buffer[n - 1] as number;
    }
    return last === NL ? lines : lines + 1;
  } finally {
    closeSync(fd);
  }
}

if (process.argv[1]?.endsWith('floor.js') === true && process.argv[2] !== undefined)
  process.stdout.write(`${countLinesFloor(process.argv[2])}\n`);
