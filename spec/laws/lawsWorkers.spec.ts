/**
 * The law of the parsing workers: a replay parsed on any number of worker threads (0, 1, 2,
 * 3) gives exactly the events of the replay parsed on the main thread, for any logs (invalid,
 * blank and late lines, CRLF, a last line without newline, overlong lines, several files
 * merged by time), cut into segments of any size. Checked with fast-check (fixed seed)
 * through `monitorFiles` on real files.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { monitorFiles, type MonitorFilesOptions } from '../../src/engine/monitorFiles.js';
import type { MonitorEvent } from '../../src/types.js';
import { caseBytes, logCase, monitorOptions } from '../helpers/arbitraries.js';

const SEED = 20_261_204;
const dir = mkdtempSync(join(tmpdir(), 'apachescan-lawsworkers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let cases = 0;

const run = (events$: Observable<MonitorEvent>): Promise<MonitorEvent[]> => lastValueFrom(events$.pipe(toArray()));

function writeFiles(contents: readonly Buffer[]): string[] {
  cases++;
  return contents.map((bytes, i) => {
    const path = join(dir, `c${cases}-${i}.log`);
    writeFileSync(path, bytes);
    return path;
  });
}

/** The events with the files parsed on `workers` threads, every file on workers (however small), read `readBytes` at a time. */
function onWorkers(paths: readonly string[], options: MonitorFilesOptions, workers: number, readBytes: number): Promise<MonitorEvent[]> {
  return run(monitorFiles(paths, { ...options, parseWorkers: workers, parseWorkersMinBytes: 0, parseWorkersReadBytes: readBytes }));
}

const OVERLONG = 65_536;
/** A line of `length` bytes that would be a record but for its length. */
const longLine = (length: number): Buffer =>
  Buffer.from(`10.0.0.9 - - [01/Mar/2026:12:00:00 +0000] "GET /${'x'.repeat(Math.max(0, length - 70))} HTTP/1.1" 200 1`);

const extra = fc.constantFrom<'none' | 'overlong' | 'longest' | 'overlong-last'>('none', 'none', 'overlong', 'longest', 'overlong-last');

test('any logs, any worker count, any segment size: the events of the replay parsed on the main thread', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ log: logCase({ maxLines: 150 }), extra }), { minLength: 1, maxLength: 3 }),
      monitorOptions,
      fc.integer({ min: 1, max: 3 }),
      fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 5000 }), fc.constant(1 << 20)),
      async (files, options, workers, readBytes) => {
        const contents = files.map(({ log, extra }) => {
          const bytes = caseBytes(log);
          if (extra === 'none') return bytes;
          // Overlong (only counted), exactly the longest line kept, or an overlong last line without newline.
          if (extra === 'overlong') return Buffer.concat([bytes, longLine(OVERLONG + 5000), Buffer.from('\r\n'), bytes]);
          if (extra === 'longest')
            return Buffer.concat([longLine(OVERLONG), Buffer.from('\r\n'), longLine(OVERLONG + 1), Buffer.from('\n'), bytes]);
          return Buffer.concat([bytes, Buffer.from('\n'), longLine(OVERLONG + 3)]);
        });
        const paths = writeFiles(contents);
        const expected = await run(monitorFiles(paths, { ...options, parseWorkers: 0 }));
        assert.deepEqual(await onWorkers(paths, options, workers, readBytes), expected);
      },
    ),
    { seed: SEED, numRuns: 60 },
  );
});

test('the default (one worker for the run, taken by one of the files): the events of the replay parsed on the main thread', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(logCase({ maxLines: 150 }), { minLength: 2, maxLength: 3 }),
      monitorOptions,
      fc.integer({ min: 64, max: 5000 }),
      async (logs, options, readBytes) => {
        const paths = writeFiles(logs.map((log) => caseBytes(log)));
        const expected = await run(monitorFiles(paths, { ...options, parseWorkers: 0 }));
        const byDefault = { ...options, parseWorkersMinBytes: 0, parseWorkersReadBytes: readBytes };
        assert.deepEqual(await run(monitorFiles(paths, byDefault)), expected);
      },
    ),
    { seed: SEED, numRuns: 20 },
  );
});

test("more distinct hosts and sections than a worker's intern tables hold: the same events on 0 to 3 workers", async () => {
  const lines: string[] = [];
  const start = Date.UTC(2026, 2, 1, 12);
  for (let i = 0; i < 80_000; i++) {
    const stamp = new Date(start + Math.floor(i / 40) * 1000 - (i % 97 === 0 ? 30_000 : 0));
    const day = String(stamp.getUTCDate()).padStart(2, '0');
    const time = `${day}/Mar/2026:${String(stamp.getUTCHours()).padStart(2, '0')}:${String(stamp.getUTCMinutes()).padStart(2, '0')}:${String(stamp.getUTCSeconds()).padStart(2, '0')} +0000`;
    lines.push(
      i % 501 === 0
        ? `garbage ${i}`
        : `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} - - [${time}] "GET /s${i % 40_000}/x HTTP/1.1" 200 ${i % 1000}`,
    );
  }
  const paths = writeFiles([Buffer.from(`${lines.join('\n')}\n`), Buffer.from(`${lines.slice(0, 20_000).reverse().join('\n')}\n`)]);
  const options = { interval: 60_000, lateness: 10_000, alertWindow: 120_000, top: 3 };
  const expected = await run(monitorFiles(paths, { ...options, parseWorkers: 0 }));
  for (const workers of [1, 2, 3]) assert.deepEqual(await onWorkers(paths, options, workers, 1 << 16), expected, `${workers} workers`);
});
