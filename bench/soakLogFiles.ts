/**
 * What is on disk at the end of a soak: every line of every file in the logs folder (rotated and
 * gzipped ones included, told by their magic bytes), each written line counted once per interval.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { LineSum } from './soakOracle.js';
import { intervalStart, tally } from './soakWriter.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LINE = /\[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) \+0000\] "[^"]*" \d{3} (\d+)$/;

export interface OnDisk {
  /** Written lines found on disk, each once, per interval start. */
  readonly lines: Map<string, LineSum>;
  /** Lines found more than once (in two files, or twice in one). */
  readonly repeated: number;
  /** Lines that are not the writer's (cut or garbled). */
  readonly foreign: number;
  readonly files: number;
}

/** Reads every file in `dir`; `written` is the number of lines the writer wrote (numbers 1..written). */
export function scanLogs(dir: string, written: number, intervalSeconds: number): OnDisk {
  const seen = new Uint8Array(written + 1);
  const lines = new Map<string, LineSum>();
  let repeated = 0;
  let foreign = 0;
  const names = readdirSync(dir);
  for (const name of names) {
    let data = readFileSync(join(dir, name));
    if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
    for (const line of data.toString('latin1').split('\n')) {
      if (line === '') continue;
      const m = LINE.exec(line);
      const n = m === null ? NaN : Number(m[7]);
      if (m === null || !(n >= 1 && n <= written)) {
        foreign++;
        continue;
      }
      if (seen[n] === 1) {
        repeated++;
        continue;
      }
      seen[n] = 1;
      const ms = Date.UTC(Number(m[3]), MONTHS.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
      tally(lines, intervalStart(ms, intervalSeconds), n);
    }
  }
  return { lines, repeated, foreign, files: names.length };
}
