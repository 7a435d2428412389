/**
 * What the merge and the splitter hold per file, structurally (issue 20: ten thousand followed
 * files): a source's id map stays as small as the ids it used, whatever their size (parsers
 * are shared, so a small file's ids can be large: a table as long as the largest id was
 * kilobytes per file); a queue that emptied holds no columns; splitters hold no line chunk of
 * their own between pushes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
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
