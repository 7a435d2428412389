/** fileChunks / gunzipChunks: whole files, plain or gzip, through the one read loop and the one splitter. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { firstValueFrom, lastValueFrom, reduce, take, toArray, type Observable } from 'rxjs';
import { fileChunks, readFileChunks } from '../../src/source/fileChunks.js';
import { gunzipChunks } from '../../src/source/gzipFile.js';
import { linesOfChunks } from '../../src/source/chunkLines.js';
import { ReadGate } from '../../src/source/chunkReader.js';
import type { LineChunk } from '../../src/source/lineChunk.js';
import { OVERLONG_LINE } from '../../src/source/overlong.js';
import { cleanUp } from '../helpers/follow.js';
import { tempDir } from '../helpers/tempDir.js';
import { waitFor } from '../helpers/writer.js';

after(cleanUp);

const lines = (chunks: Observable<LineChunk>) => lastValueFrom(linesOfChunks(chunks).pipe(toArray()));
const read = (path: string, options = {}) => lines(fileChunks(path, options));
/** Each line's end offset, in order. */
const ends = (chunks: Observable<LineChunk>) =>
  lastValueFrom(chunks.pipe(reduce((all: number[], c) => [...all, ...Array.from(c.offsets.subarray(0, c.count))], [])));

describe('fileChunks', () => {
  it('reads every line, CRLF or not, and an unterminated last line', async () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, 'one\r\ntwo\n\nthree é\nlast');
    assert.deepEqual(await read(p), ['one', 'two', '', 'three é', 'last']);
  });

  it('gives the same lines for any read size', async () => {
    const p = join(tempDir(), 'a.log');
    const text = `${Array.from({ length: 500 }, (_, i) => `${i} ${'€'.repeat(i % 7)} x`).join('\n')}\n`;
    writeFileSync(p, text);
    const expected = text.split('\n').slice(0, -1);
    for (const chunkSize of [1, 3, 7, 100, 4096]) assert.deepEqual(await read(p, { chunkSize }), expected);
  });

  it('starts at a byte offset; each line carries its end offset', async () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, 'a\nbb\nccc\n');
    assert.deepEqual(await read(p, { startOffset: 2 }), ['bb', 'ccc']);
    assert.deepEqual(await ends(fileChunks(p, { chunkSize: 4 })), [2, 5, 9]);
    assert.deepEqual(await ends(fileChunks(p, { startOffset: 2 })), [5, 9]);
  });

  it('reads an overlong line as OVERLONG_LINE and flags it', async () => {
    const p = join(tempDir(), 'a.log');
    writeFileSync(p, `a\n${'x'.repeat(100 * 1024)}\nb\n`);
    assert.deepEqual(await read(p, { chunkSize: 8192 }), ['a', OVERLONG_LINE, 'b']);
    const flags = await lastValueFrom(
      fileChunks(p, { maxLineBytes: 10 }).pipe(reduce((all: number[], c) => [...all, ...c.overlong.subarray(0, c.count)], [])),
    );
    assert.deepEqual(flags, [0, 1, 0]);
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
    const descriptors = () => readdirSync('/proc/self/fd').length;
    const before = descriptors();
    assert.deepEqual(await firstValueFrom(linesOfChunks(fileChunks(p, { chunkSize: 64 })).pipe(take(2), toArray())), ['line', 'line']);
    // The close is asynchronous (after the read in flight): wait for it (bounded), no fixed pause.
    assert.ok(await waitFor(() => descriptors() <= before, 10_000), `descriptors: ${descriptors()}, before: ${before}`);
  });

  it('reads a log of many 1 MiB chunks whole (speed is measured by npm run bench)', async () => {
    const p = join(tempDir(), 'big.log');
    const line = '192.168.1.1 - - [11/Jun/2024:10:00:00 +0000] "GET /api/item?id=1 HTTP/1.1" 200 512 "-" "curl/8"\n';
    const size = 8 * 1024 * 1024 + 37; // several chunks, a line cut at each chunk boundary
    writeFileSync(p, line.repeat(Math.ceil(size / line.length)));
    const count = await lastValueFrom(fileChunks(p).pipe(reduce((n, c) => n + c.count, 0)));
    assert.equal(count, Math.ceil(size / line.length));
  });
});

describe('gunzipChunks', () => {
  it('gives the lines of the decompressed bytes, as fileChunks gives those of the plain file', async () => {
    const dir = tempDir();
    const text = `${Array.from({ length: 40_000 }, (_, i) => `${i} ${'é'.repeat(i % 5)}${i % 3 === 0 ? '\r' : ''}`).join('\n')}\n${'y'.repeat(70_000)}\nlast`;
    writeFileSync(join(dir, 'a.log'), text);
    writeFileSync(join(dir, 'a.log.gz'), gzipSync(text));
    assert.deepEqual(await lines(gunzipChunks(join(dir, 'a.log.gz'))), await read(join(dir, 'a.log')));
    assert.deepEqual(await ends(gunzipChunks(join(dir, 'a.log.gz'))), await ends(fileChunks(join(dir, 'a.log'))));
  });

  it('fails "cannot decompress" with a code on a corrupt file, and on a missing one', async () => {
    const dir = tempDir();
    const packed = gzipSync('a\nb\n'.repeat(10_000));
    writeFileSync(join(dir, 'bad.gz'), packed.subarray(0, packed.length >> 1));
    await assert.rejects(
      lines(gunzipChunks(join(dir, 'bad.gz'))),
      (err: NodeJS.ErrnoException) => /^cannot decompress/.test(err.message) && typeof err.code === 'string',
    );
    await assert.rejects(lines(gunzipChunks(join(dir, 'missing.gz'))), { code: 'ENOENT' });
  });

  it('is not read further while its gate is paused, then resumes; nothing is lost', async () => {
    const p = join(tempDir(), 'big.log.gz');
    const text = `${Array.from({ length: 200_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}`).join('\n')}\n`;
    writeFileSync(p, gzipSync(text));
    const gate = new ReadGate();
    let got = 0;
    let done = false;
    readFileChunks(p, { gzip: true, gate }, (err) => err).subscribe({
      next: (chunk) => {
        if (got === 0) gate.pause();
        got += chunk.count;
      },
      complete: () => (done = true),
    });
    assert.ok(await waitFor(() => got > 0, 10_000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const whilePaused = got;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(got, whilePaused, 'nothing more while paused');
    assert.ok(whilePaused < 200_000 && !done, `not read to the end while paused (${whilePaused} lines)`);
    gate.resume();
    assert.ok(await waitFor(() => done, 30_000));
    assert.equal(got, 200_000);
  });
});
