/**
 * The bench log with every line given a client and a request path of its own (same times,
 * statuses and sizes): the worst case for the distinct-client counts and the intern tables.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Writes `to` from `from`; the n-th line gets client `10.a.b.c` (from n) and path `/d<n>/item`. */
export async function writeDistinctLog(from: string, to: string): Promise<number> {
  const temporary = `${to}.partial-${process.pid}`;
  const out = createWriteStream(temporary, { highWaterMark: 1 << 20 });
  let n = 0;
  let chunk = '';
  for await (const line of createInterface({ input: createReadStream(from, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    const space = line.indexOf(' ');
    const request = line.indexOf('"');
    const pathStart = line.indexOf(' ', request) + 1;
    const pathEnd = line.indexOf(' ', pathStart);
    n++;
    if (space < 0 || request < 0 || pathStart <= 0 || pathEnd < 0) {
      chunk += `${line}\n`;
    } else {
      const client = `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
      chunk += `${client}${line.slice(space, pathStart)}/d${n}/item${line.slice(pathEnd)}\n`;
    }
    if (chunk.length >= 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((resolve, reject) => out.once('finish', () => resolve()).once('error', reject));
  await rename(temporary, to);
  return n;
}
