/** readChunks, the one read loop (src/source/chunkReader.ts): offsets, buffers, holding, stopping, checking. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ReadGate, readChunks, type ReadChunksOptions } from '../../src/source/chunkReader.js';
import { cleanUp } from '../helpers/follow.js';
import { tempDir } from '../helpers/tempDir.js';
import { waitFor } from '../helpers/writer.js';
import { settle } from '../helpers/manualScheduler.js';

after(cleanUp);

const bytesOf = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => 97 + (i % 26)));

function file(content: Buffer): string {
  const p = join(tempDir(), 'f.bin');
  writeFileSync(p, content);
  return p;
}

const buffers = (size: number, n = 2): Buffer[] => Array.from({ length: n }, () => Buffer.alloc(size));

/** A handle whose reads are counted as they start; `settled()`: every read started has landed. */
function countingReads(real: FileHandle): { handle: FileHandle; readonly started: number; settled: () => Promise<void> } {
  const inFlight: Promise<unknown>[] = [];
  const handle = {
    read: (...args: Parameters<FileHandle['read']>) => {
      const p = real.read(...args);
      inFlight.push(p);
      return p;
    },
  } as unknown as FileHandle;
  return {
    handle,
    get started() {
      return inFlight.length;
    },
    settled: async () => {
      await Promise.all(inFlight);
      await settle();
    },
  };
}

/** Reads `path` with `options`, copying each chunk handed over. */
async function collect(path: string, options: ReadChunksOptions) {
  const fd = openSync(path, 'r');
  const chunks: Buffer[] = [];
  try {
    const result = await readChunks(fd, options, (bytes) => void chunks.push(Buffer.from(bytes)));
    return { ...result, chunks };
  } finally {
    closeSync(fd);
  }
}

describe('readChunks', () => {
  it('reads from an offset to the end in chunks of the buffer size, one buffer or two', async () => {
    const content = bytesOf(1000);
    const p = file(content);
    for (const n of [1, 2]) {
      const r = await collect(p, { position: 10, buffers: buffers(64, n), shortReadEnds: false });
      assert.equal(r.outcome, 'eof');
      assert.equal(r.bytes, 990);
      assert.deepEqual(Buffer.concat(r.chunks), content.subarray(10));
      assert.ok(r.chunks.slice(0, -1).every((c) => c.length === 64));
    }
  });

  it('reads a descriptor in sequence from where it stands (position null)', async () => {
    const content = bytesOf(300);
    const fd = openSync(file(content), 'r');
    try {
      const chunks: Buffer[] = [];
      const r = await readChunks(
        fd,
        { position: null, buffers: buffers(100), shortReadEnds: false },
        (b) => void chunks.push(Buffer.from(b)),
      );
      assert.deepEqual([r.outcome, r.bytes], ['eof', 300]);
      assert.deepEqual(Buffer.concat(chunks), content);
    } finally {
      closeSync(fd);
    }
  });

  it('with shortReadEnds, stops at a short read; reads a FileHandle alike', async () => {
    const content = bytesOf(250);
    const handle = await open(file(content), 'r');
    try {
      let reads = 0;
      const counting = new Proxy(handle, {
        get: (target, key) =>
          key === 'read'
            ? (...args: Parameters<typeof handle.read>) => {
                reads++;
                return target.read(...args);
              }
            : Reflect.get(target, key),
      });
      const chunks: Buffer[] = [];
      const r = await readChunks(
        counting,
        { position: 0, buffers: buffers(100), shortReadEnds: true },
        (b) => void chunks.push(Buffer.from(b)),
      );
      assert.deepEqual([r.outcome, r.bytes, reads], ['eof', 250, 3], 'no read after the short one');
      assert.deepEqual(Buffer.concat(chunks), content);
    } finally {
      await handle.close();
    }
  });

  it('while the gate is paused, starts no new read (the one in flight still arrives); resumes', async () => {
    const content = bytesOf(1000);
    const handle = await open(file(content), 'r');
    const reads = countingReads(handle);
    const gate = new ReadGate();
    const chunks: Buffer[] = [];
    const reading = readChunks(reads.handle, { position: 0, buffers: buffers(100), shortReadEnds: false, gate }, (b) => {
      chunks.push(Buffer.from(b));
      if (chunks.length === 1) gate.pause();
    });
    // The read in flight when the pause came arrives; every read started has settled, and the
    // loop waits on the gate: a read started while paused would be counted here.
    await waitFor(() => chunks.length >= 2, 10_000);
    await reads.settled();
    assert.deepEqual([reads.started, chunks.length], [2, 2], 'the read started before the pause arrives, no other');
    gate.resume();
    const r = await reading;
    await handle.close();
    assert.deepEqual([r.outcome, r.bytes], ['eof', 1000]);
    assert.deepEqual(Buffer.concat(chunks), content);
  });

  it('stops when told, after the read in flight', async () => {
    const fd = openSync(file(bytesOf(1000)), 'r');
    let stop = false;
    let handed = 0;
    const r = await readChunks(fd, { position: 0, buffers: buffers(100), shortReadEnds: false, stopped: () => stop }, () => {
      if (++handed === 3) stop = true;
    });
    closeSync(fd);
    assert.deepEqual([r.outcome, r.bytes, handed], ['stopped', 300, 3]);
  });

  it('drops a read that `accept` refuses, and ends there', async () => {
    const fd = openSync(file(bytesOf(1000)), 'r');
    let checks = 0;
    let handed = 0;
    const accept = async (): Promise<boolean> => ++checks < 3;
    const r = await readChunks(fd, { position: 0, buffers: buffers(100), shortReadEnds: false, accept }, () => void handed++);
    closeSync(fd);
    assert.deepEqual([r.outcome, r.bytes, handed], ['rejected', 200, 2]);
  });

  it('reuses a buffer only once the promise its consumer returned has settled', async () => {
    const content = bytesOf(1000);
    const handle = await open(file(content), 'r');
    const reads = countingReads(handle);
    const copies: Buffer[] = [];
    const r = await readChunks(reads.handle, { position: 0, buffers: buffers(100), shortReadEnds: false }, async (bytes) => {
      const copy = Buffer.from(bytes);
      await reads.settled(); // the consumer works on the lent bytes while the next read lands
      assert.deepEqual(bytes, copy, 'the bytes did not change under the consumer');
      copies.push(copy);
    });
    await handle.close();
    assert.equal(r.outcome, 'eof');
    assert.deepEqual(Buffer.concat(copies), content);
  });

  it('rejects with the errno code', async () => {
    const fd = openSync(tempDir(), 'r');
    try {
      await assert.rejects(
        readChunks(fd, { position: 0, buffers: buffers(100), shortReadEnds: false }, () => undefined),
        { code: 'EISDIR' },
      );
    } finally {
      closeSync(fd);
    }
  });
});
