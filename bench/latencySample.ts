/**
 * `samples/access-latency.log`: the README demo log for alert rules. The same traffic as
 * `samples/access.log` in one format, Combined with `%D` (microseconds) at the end: requests
 * take 40-200 ms, during the burst (seconds 420-570) 300-1500 ms, and a server error 1-3 s;
 * seconds 1080-1200 are an outage of the backend: a quarter of the requests get a 503.
 * `node dist/bench/makeSample.js --latency` writes it byte for byte.
 */
import { writeFile } from 'node:fs/promises';
import { generateLog, type GenerateOptions } from './generateLog.js';
import { Random } from './prng.js';
import { SAMPLE_OPTIONS } from './sampleOptions.js';

/** The LogFormat of the latency sample (`--format`). */
export const LATENCY_FORMAT = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D';

export const LATENCY_SAMPLE_OPTIONS = { ...SAMPLE_OPTIONS, common: 0, malformed: 0, altZone: 0 } as const satisfies GenerateOptions;
const BURST = [420, 570];
const OUTAGE = [1080, 1200];

export async function writeLatencySample(path: string): Promise<{ lines: number; bytes: number }> {
  const random = new Random(7);
  const start = LATENCY_SAMPLE_OPTIONS.start / 1000;
  let text = '';
  let lines = 0;
  for (const line of generateLog(LATENCY_SAMPLE_OPTIONS)) {
    const time = /\[(\d\d)\/\w+\/\d{4}:(\d\d):(\d\d):(\d\d)/.exec(line);
    const status = / (\d{3}) (?:\d+|-) "/.exec(line);
    const seconds = time === null ? 0 : Number(time[2]) * 3600 + Number(time[3]) * 60 + Number(time[4]) - (start % 86_400);
    const burst = seconds >= (BURST[0] as number) && seconds < (BURST[1] as number);
    let out = line;
    if (status !== null && seconds >= (OUTAGE[0] as number) && seconds < (OUTAGE[1] as number) && random.next() < 0.25) {
      out = line.replace(status[0], status[0].replace(status[1] as string, '503'));
    }
    const error = /" 5\d\d /.test(out);
    const ms = error ? 1000 + random.next() * 2000 : burst ? 300 + random.next() * 1200 : 40 + random.next() * 160;
    text += `${out} ${Math.round(ms * 1000)}\n`;
    lines++;
  }
  await writeFile(path, text);
  return { lines, bytes: Buffer.byteLength(text) };
}
