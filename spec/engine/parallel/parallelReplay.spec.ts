/**
 * `parallelReplay`: a file parsed on worker threads gives the batches' rows the main thread
 * gives (times, statuses, sizes, host and section names, invalid lines, texts and the offsets
 * checkpoints use), in order, whatever the worker count and segment size; a worker's failure
 * is the source's error; the end, an error or an unsubscribe ends the workers' threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { firstValueFrom, lastValueFrom, map, take, toArray, type Observable } from 'rxjs';
import fc from 'fast-check';
import { parallelReplay, WorkerBudget, type ParallelReplayOptions } from '../../../src/engine/parallel/parallelReplay.js';
import { parseAccessLog } from '../../../operators/parseAccessLog.js';
import { streamedLogFile } from '../../../src/source/streamedLogFile.js';
import type { RecordBatch } from '../../../src/parse/recordBatch.js';
import { caseBytes, logCase } from '../../helpers/arbitraries.js';
import { tempDir } from '../../helpers/tempDir.js';
import { sleep } from '../../helpers/sleep.js';

const dir = tempDir('apachescan-parallel-');
let files = 0;

function fileOf(bytes: Buffer | string): string {
  const path = join(dir, `f${files++}.log`);
  writeFileSync(path, bytes);
  return path;
}

/** Every row as plain values (copied inside the call that lends the batch). */
function rowsOf(batches: Observable<RecordBatch>): Promise<unknown[]> {
  return lastValueFrom(
    batches.pipe(
      map((batch) => {
        const rows: unknown[] = [];
        let invalid = 0;
        for (let row = 0; row < batch.count; row++) {
          const common = { text: batch.textOf(row), end: batch.endOf(row) };
          if (batch.status[row] === 0) rows.push({ ...common, invalid: batch.invalid[invalid++] });
          else {
            const record = { time: batch.times[row], status: batch.status[row], bytes: batch.bytes[row] };
            rows.push({
              ...common,
              ...record,
              host: batch.hostDict[batch.hostIds[row] as number],
              section: batch.sectionDict[batch.sectionIds[row] as number],
            });
          }
        }
        assert.equal(invalid, batch.invalid.length);
        return rows;
      }),
      toArray(),
      map((all) => all.flat()),
    ),
  );
}

const onThisThread = (path: string, format = 'auto'): Promise<unknown[]> => rowsOf(streamedLogFile(path).pipe(parseAccessLog({ format })));
const options = (workers: number, readBytes: number, format = 'auto'): ParallelReplayOptions => ({
  format,
  workers,
  minBytes: 0,
  readBytes,
});

/** Threads of this process (workers are threads). */
const threads = (): number => readdirSync('/proc/self/task').length;

async function threadsBackTo(count: number): Promise<void> {
  for (let i = 0; i < 200 && threads() > count; i++) await sleep(25);
  assert.ok(threads() <= count, `threads: ${threads()}, before: ${count}`);
}

test('the rows, texts and line offsets of the main thread, for any log, worker count and segment size', async () => {
  await fc.assert(
    fc.asyncProperty(
      logCase({ maxLines: 120 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3000 }),
      fc.constantFrom('auto', 'combined', '%h %l %u %t "%r" %>s %b'),
      async (log, workers, readBytes, format) => {
        const path = fileOf(caseBytes(log));
        const parse = parseAccessLog({ format });
        assert.deepEqual(await rowsOf(parallelReplay(path, options(workers, readBytes, format), parse)), await onThisThread(path, format));
      },
    ),
    { seed: 20_261_205, numRuns: 40 },
  );
});

test('overlong lines across segments: flagged and counted as the main thread does, offsets included', async () => {
  const line = (n: number): string => `10.0.0.1 - - [01/Mar/2026:12:00:00 +0000] "GET /${'a'.repeat(n)} HTTP/1.1" 200 5`;
  const text = `${line(10)}\n${line(65_536)}\r\n${line(65_440)}\n${line(200_000)}\n${line(3)}\n${line(70_000)}`;
  const path = fileOf(text);
  const expected = await onThisThread(path);
  for (const readBytes of [7, 1000, 65_536, 1 << 20]) {
    assert.deepEqual(await rowsOf(parallelReplay(path, options(2, readBytes), parseAccessLog())), expected, `reads of ${readBytes} bytes`);
  }
});

test('a small file is parsed on the main thread: no worker starts', async () => {
  const path = fileOf('10.0.0.1 - - [01/Mar/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 5\n');
  const failing = pathToFileURL(fileOf('throw new Error("this worker must not start");'));
  const rows = await rowsOf(parallelReplay(path, { format: 'auto', workers: 2, minBytes: 1000, workerUrl: failing }, parseAccessLog()));
  assert.equal(rows.length, 1);
});

test("a run's budget of workers: a file that finds it taken is parsed on this thread; a file's end gives its workers back", async () => {
  const path = fileOf('10.0.0.1 - - [01/Mar/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 5\n'.repeat(1000));
  const broken = pathToFileURL(fileOf('throw new Error("broken worker");'));
  const budget = new WorkerBudget(1);
  assert.equal(budget.take(3), 1); // another file holds the one worker
  const replay = { ...options(2, 4096), workerUrl: broken, budget };
  assert.deepEqual(await rowsOf(parallelReplay(path, replay, parseAccessLog())), await onThisThread(path));
  budget.give(1);
  await assert.rejects(rowsOf(parallelReplay(path, replay, parseAccessLog())), /broken worker/); // it took the worker
  assert.equal(budget.take(2), 1, 'given back at the end (here an error)');
});

test('a worker that fails is the error of the source, and every worker thread ends', async () => {
  const before = threads();
  const path = fileOf('10.0.0.1 - - [01/Mar/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 5\n'.repeat(1000));
  const broken = join(dir, 'broken.mjs');
  writeFileSync(broken, 'throw new Error("broken worker");\n');
  await assert.rejects(
    rowsOf(parallelReplay(path, { ...options(2, 4096), workerUrl: pathToFileURL(broken) }, parseAccessLog())),
    /broken worker/,
  );
  const exiting = join(dir, 'exiting.mjs');
  writeFileSync(exiting, 'import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => process.exit(3));\n');
  await assert.rejects(
    rowsOf(parallelReplay(path, { ...options(2, 4096), workerUrl: pathToFileURL(exiting) }, parseAccessLog())),
    /exit code 3/,
  );
  await threadsBackTo(before);
});

test('the end of the file and an unsubscribe end the worker threads', async () => {
  const before = threads();
  const path = fileOf('10.0.0.1 - - [01/Mar/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 5\n'.repeat(20_000));
  const all = await rowsOf(parallelReplay(path, options(3, 4096), parseAccessLog()));
  assert.equal(all.length, 20_000);
  await threadsBackTo(before);
  const first = await firstValueFrom(
    parallelReplay(path, options(3, 4096), parseAccessLog()).pipe(
      take(1),
      map((batch) => batch.count),
    ),
  );
  assert.ok(first > 0);
  await threadsBackTo(before);
});
