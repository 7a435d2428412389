/**
 * What the merge and the splitter hold per file, structurally (issue 20: ten thousand followed
 * files): a source's id map stays as small as the ids it used, whatever their size (parsers
 * are shared, so a small file's ids can be large: a table as long as the largest id was
 * kilobytes per file); a queue that emptied holds no columns, one left with a row or two holds
 * columns of their size; splitters hold no line chunk of their own between pushes; and, measured
 * on the heap, what the merge holds per source and what following a file costs in all.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Observable, Subject, VirtualTimeScheduler, from } from 'rxjs';
import { monitorFiles } from '../../src/engine/monitorFiles.js';
import { mergeByTime } from '../../operators/mergeByTime.js';
import { withCaughtUp } from '../../src/core/caughtUp.js';
import { BatchParser } from '../../src/parse/batchParser.js';
import type { RecordBatch } from '../../src/parse/recordBatch.js';
import { combinedLine } from '../helpers/cli.js';
import { sleep } from '../helpers/sleep.js';
import { tempDir } from '../helpers/tempDir.js';
import { IdMap, MergedNames } from '../../src/core/mergedBatch.js';
import { RowQueue } from '../../src/core/rowQueue.js';
import { ChunkSplitter } from '../../src/source/lineChunk.js';
import type { DictRun } from '../../src/core/rowQueue.js';

function run(size: number): DictRun {
  const names = Array.from({ length: size }, (_, i) => `n${i}`);
  return { start: 0, hostDict: names, sectionDict: names, parse: undefined, origin: undefined };
}

describe('IdMap', () => {
  it('a few large ids: a few entries, not a table as long as the largest id', () => {
    const names = new MergedNames();
    const dict = run(200_000);
    const ids = new IdMap();
    ids.use(dict, names);
    for (const id of [199_999, 150_000, 100_001, 199_999]) {
      assert.equal(names.hosts[ids.host(id, names)], `n${id}`);
      assert.equal(names.sections[ids.section(id, names)], `n${id}`);
    }
    assert.ok(ids.denseSlots < 1024, `${ids.denseSlots} slots for 3 ids`);
  });

  it('every id of a dictionary, in any order: each mapped to its name once (dense then)', () => {
    const names = new MergedNames();
    const dict = run(5000);
    const ids = new IdMap();
    ids.use(dict, names);
    const order = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    const first = order.map((id) => ids.host(id, names));
    assert.deepEqual(
      order.map((id) => ids.host(id, names)),
      first,
    );
    for (const [i, id] of order.entries()) assert.equal(names.hosts[first[i] as number], `n${id}`);
    assert.equal(names.hosts.length, 5000);
    assert.ok(ids.denseSlots >= 5000, 'dense once most ids are used');
  });
});

describe('RowQueue', () => {
  it('a queue that emptied holds no columns; it takes them again with its next rows', () => {
    const queues = Array.from({ length: 100 }, () => new RowQueue());
    for (const q of queues) {
      assert.equal(q.slots, 0, 'none before its first row');
      q.pushLine({ type: 'record', time: 1000, host: 'h', section: '/a', status: 200, bytes: 1, method: 'GET', path: '/a' }, true);
      assert.ok(q.slots > 0);
      q.head = q.tail;
      q.dropConsumed();
      assert.equal(q.slots, 0);
    }
    const q = queues[0] as RowQueue;
    q.pushLine({ type: 'record', time: 2000, host: 'h2', section: '/b', status: 404, bytes: 2, method: 'GET', path: '/b' }, true);
    assert.equal(q.size, 1);
    assert.equal(q.timeAt(q.head), 2000);
    assert.equal(q.recordAt(q.head).host, 'h2');
  });
});

describe('RowQueue rows held', () => {
  it('a queue left with a row after a flush holds columns of one row; its rows read the same, and more come after', () => {
    const parser = new BatchParser('combined');
    const q = new RowQueue();
    const lines = fileLines(7);
    for (const line of lines) {
      q.pushBatch(parser.parseLine(line) as RecordBatch, true);
      parser.reset();
    }
    assert.equal(q.size, 5);
    q.head = 4;
    q.dropConsumed();
    assert.equal(q.size, 1);
    assert.ok(q.slots <= 1 + 256, `${q.slots} slots for one row`);
    const last = q.head;
    assert.equal(q.textOf(last), lines[4]);
    assert.equal(q.recordAt(last).host, '10.0.7.4');
    assert.equal(q.timeAt(last), Date.UTC(2026, 0, 1) + (4 * 60 + 7) * 1000);
    for (const line of lines) {
      q.pushBatch(parser.parseLine(line) as RecordBatch, true);
      parser.reset();
    }
    assert.equal(q.size, 6);
    assert.deepEqual(
      Array.from({ length: 6 }, (_, i) => q.textOf(q.head + i)),
      [lines[4], ...lines],
    );
    assert.equal(q.recordAt(q.head + 5).host, '10.0.7.4');
  });
});

describe('mergeByTime with queues that shrink', () => {
  it('every row comes out once, in time order, when a full batch is flushed midway through a source whose queue shrinks', () => {
    const parser = new BatchParser('combined');
    // 1,500 sources of 5 rows, a minute apart: the 4096th row out is a source's third (4096 is between 2 x 1,500 and 3 x 1,500),
    // the merged batch is full then, and that source's queue, 2 rows consumed and 3 left, shrinks when it is flushed.
    const source = (f: number): Observable<RecordBatch> =>
      new Observable<RecordBatch>((subscriber) => {
        for (const line of fileLines(f)) {
          subscriber.next(parser.parseLine(line) as RecordBatch);
          parser.reset();
        }
        subscriber.complete();
      });
    const texts: string[] = [];
    const times: number[] = [];
    from(Array.from({ length: 1500 }, (_, f) => source(f)))
      .pipe(mergeByTime())
      .subscribe((batch) => {
        for (let row = 0; row < batch.count; row++) {
          texts.push(batch.textOf(row));
          times.push(batch.times[row] as number);
        }
      });
    const expected = Array.from({ length: 1500 }, (_, f) => fileLines(f)).flat();
    assert.equal(texts.length, expected.length);
    assert.deepEqual([...texts].sort(), [...expected].sort());
    assert.ok(
      times.every((t, i) => i === 0 || (times[i - 1] as number) <= t),
      'in time order',
    );
  });
});

describe('ChunkSplitter', () => {
  it('a thousand splitters that pushed lines hold no line chunk each (array buffers grow by far less than 1 KiB a splitter)', () => {
    const before = process.memoryUsage().arrayBuffers;
    const lines: string[] = [];
    const splitters = Array.from({ length: 1000 }, (_, i) => {
      const splitter = new ChunkSplitter((chunk) => {
        for (let l = 0; l < chunk.count; l++) lines.push(chunk.text(l));
      });
      splitter.push(Buffer.from(`${i} a\n${i} b\n`));
      return splitter;
    });
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.equal(lines.length, 2000);
    assert.equal(splitters.length, 1000);
    assert.ok(grown < 1000 * 256, `array buffers grew ${grown} bytes for 1000 splitters`);
  });
});

/** The heap in use after a full collection. */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Five lines a file, a minute apart, the files a second apart (as `npm run bench -- --many-files N`). */
function fileLines(f: number): string[] {
  return Array.from({ length: 5 }, (_, i) => combinedLine(i * 60 + (f % 60), { host: `10.0.${f % 250}.${i}`, path: '/p' }));
}

describe('memory per followed file (issue 20: ten thousand followed files in < 300 MB)', () => {
  it('the merge holds at most 2.25 KiB a source once every source gave its lines (one parser shared, a reader that never ends)', async () => {
    const sources = 2000;
    const parser = new BatchParser('combined');
    const caughtUp = new Subject<number>();
    const source = (f: number): Observable<RecordBatch> =>
      withCaughtUp(
        new Observable<RecordBatch>((subscriber) => {
          for (const line of fileLines(f)) {
            const batch = parser.parseLine(line);
            if (batch !== undefined) subscriber.next(batch);
            parser.reset();
          }
        }),
        caughtUp,
      );
    let rows = 0;
    const before = heapAfterGc();
    const merged = from(Array.from({ length: sources }, (_, f) => source(f)))
      .pipe(mergeByTime({ idleTimeout: 60_000, scheduler: new VirtualTimeScheduler() }))
      .subscribe((batch) => (rows += batch.count));
    const perSource = (heapAfterGc() - before) / sources;
    merged.unsubscribe();
    // Every row but those no other source's head is known to come after is out; each source holds its last one or two.
    assert.ok(rows > 0 && rows < sources * 5, `${rows} rows out`);
    assert.ok(perSource < 2304, `${perSource.toFixed(0)} bytes a source`);
  });

  it('monitorFiles following small files holds at most 9 KiB more on the heap a file (its tailers included) at the first interval', async () => {
    // The heap at the first interval of 250 files, then of 1,250 (code compiled by the first run is in both): a file costs the difference / 1,000.
    const small = await heapAtFirstInterval(250);
    const large = await heapAtFirstInterval(1250);
    const perFile = (large - small) / 1000;
    assert.ok(perFile < 9 * 1024, `${(perFile / 1024).toFixed(1)} KiB a followed file`);
  });
});

/** What following `files` small files adds to the heap at their first interval. */
async function heapAtFirstInterval(files: number): Promise<number> {
  const dir = tempDir();
  for (let f = 0; f < files; f++) writeFileSync(join(dir, `f${String(f).padStart(4, '0')}.log`), `${fileLines(f).join('\n')}\n`);
  const before = heapAfterGc();
  let stats = 0;
  const run = monitorFiles([join(dir, '*.log')], { follow: true }).subscribe((event) => void (event.type === 'stats' && stats++));
  try {
    // Bounded wait (10 min: a loaded machine) for the first interval: every file read by then.
    for (let i = 0; i < 6000 && stats === 0; i++) await sleep(100);
    assert.ok(stats > 0, 'no interval');
    return heapAfterGc() - before;
  } finally {
    run.unsubscribe();
  }
}
