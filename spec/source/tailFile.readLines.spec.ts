/** readLines / readLineBatches: whole files in bounded reads. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, reduce, take, toArray } from 'rxjs';
import { readLineBatches, readLines } from '../../src/source/readLines.js';
import { OVERLONG_LINE } from '../../src/source/overlong.js';
import { cleanUp } from '../helpers/follow.js';
import { waitFor } from '../helpers/writer.js';
import { tempDir } from '../helpers/tempDir.js';

after(cleanUp);

const read = (path: string, options = {}) => lastValueFrom(readLines(path, options).pipe(toArray()));

describe('readLines', () => {
  it('reads every line, CRLF or not, and an unterminated last line', async () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, 'one\r\ntwo\n\nthree é\nlast');
    assert.deepEqual(await read(p), ['one', 'two', '', 'three é', 'last']);
  });

  it('gives the same lines for any read size', async () => {
    const p = join(tempDir(), 'a.log');
    const text = Array.from({ length: 500 }, (_, i) => `${i} ${'€'.repeat(i % 7)} x`).join('\n') + '\n';
    writeFileSync(p, text);
    const expected = text.split('\n').slice(0, -1);
    for (const chunkSize of [1, 3, 7, 100, 4096]) assert.deepEqual(await read(p, { chunkSize }), expected);
  });

  it('starts at a byte offset; batches carry each line end offset', async () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, 'a\nbb\nccc\n');
    assert.deepEqual(await read(p, { startOffset: 2 }), ['bb', 'ccc']);
    const batches = await lastValueFrom(readLineBatches(p, { chunkSize: 4 }).pipe(toArray()));
    assert.deepEqual(batches.flatMap((b) => b.ends), [2, 5, 9]);
  });

  it('replaces an overlong line by OVERLONG_LINE and flags it in batches', async () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, `a\n${'x'.repeat(100 * 1024)}\nb\n`);
    assert.deepEqual(await read(p, { chunkSize: 8192 }), ['a', OVERLONG_LINE, 'b']);
    const batches = await lastValueFrom(readLineBatches(p, { maxLineBytes: 10 }).pipe(toArray()));
    assert.deepEqual(
      batches.map((b) => [b.lines.map((l) => l.length), b.overlong]),
      [[[1, 10, 1], [1]]],
    );
  });

  it('errors with the errno code: ENOENT, EISDIR', async () => {
    const dir = tempDir();
    await assert.rejects(read(join(dir, 'missing.log')), { code: 'ENOENT' });
    mkdirSync(join(dir, 'sub'));
    await assert.rejects(read(join(dir, 'sub')), { code: 'EISDIR' });
  });

  it('stops reading and closes the file when unsubscribed early', async () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, 'line\n'.repeat(100000));
    const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'FileHandle').length;
    const before = handles();
    assert.deepEqual(await firstValueFrom(readLines(p, { chunkSize: 64 }).pipe(take(2), toArray())), ['line', 'line']);
    // The close is asynchronous: wait for it (bounded), no fixed pause.
    assert.ok(await waitFor(() => handles() <= before, 10_000), `file handles: ${handles()}, before: ${before}`);
  });

  it('reads a log of many 1 MiB chunks whole (speed is measured by npm run bench)', async () => {
    const p = join(tempDir(), 'big.log');
    const line = '192.168.1.1 - - [11/Jun/2024:10:00:00 +0000] "GET /api/item?id=1 HTTP/1.1" 200 512 "-" "curl/8"\n';
    const size = 8 * 1024 * 1024 + 37; // several chunks, a line cut at each chunk boundary
    writeFileSync(p, line.repeat(Math.ceil(size / line.length)));
    const count = await lastValueFrom(readLineBatches(p).pipe(reduce((n, b) => n + b.lines.length, 0)));
    assert.equal(count, Math.ceil(size / line.length));
  });
});
