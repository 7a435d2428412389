/**
 * `pipeChunks`: a pipe read by a worker thread into shared slots gives exactly the lines that
 * were written, whether the main thread keeps up or not (slots all lent: reading pauses).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { constants, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, reduce } from 'rxjs';
import { pipeChunks } from '../../src/source/pipeChunks.js';
import { tempDir } from '../helpers/tempDir.js';

/** `text` written into a FIFO by `cat` (another process), read here with pipeChunks; the lines seen, each chunk slowed by `delayMs`. */
async function throughPipe(text: string, delayMs: number, reader?: URL): Promise<string[]> {
  const dir = tempDir();
  const file = join(dir, 'in.log');
  writeFileSync(file, text);
  const fifo = join(dir, 'in.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = spawn('/bin/sh', ['-c', 'cat "$0" > "$1"', file, fifo], { stdio: 'ignore' });
  try {
    return await lastValueFrom(
      pipeChunks(fd, reader).pipe(
        reduce((lines: string[], chunk) => {
          for (let i = 0; i < chunk.count; i++) lines.push(chunk.text(i));
          const until = performance.now() + delayMs; // a main thread slower than the pipe
          while (performance.now() < until);
          return lines;
        }, []),
      ),
    );
  } finally {
    writer.kill(); // (the descriptor is the reader's: it closes it when it stops)
  }
}

const LINES = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 300)} é ${i % 7 === 0 ? '\r' : ''}`);
const TEXT = `${LINES.join('\n')}\npartial last line`;
const EXPECTED = [...LINES.map((l) => l.replace(/\r$/, '')), 'partial last line'];

test('pipeChunks: every line, in order, across reads and slots (a main thread that keeps up)', async () => {
  assert.ok(TEXT.length > 4 << 20, 'more than the slots hold together');
  assert.deepEqual(await throughPipe(TEXT, 0), EXPECTED);
});

test('pipeChunks: every line when the main thread is slower than the pipe (all slots lent, reading paused)', async () => {
  assert.deepEqual(await throughPipe(TEXT, 15), EXPECTED);
});

test('pipeChunks: an empty pipe completes with no lines', async () => {
  assert.deepEqual(await throughPipe('', 0), []);
});

test('pipeChunks: a reader thread that cannot start leaves the reading to the main thread, every line still there', async () => {
  const missing = new URL('./no-such-reader.js', import.meta.url);
  assert.deepEqual(await throughPipe(TEXT, 5, missing), EXPECTED);
});
