/**
 * A file read once to its end as line chunks (byte ranges, see `lineChunk.ts`), plain or
 * gzip-compressed: the one read loop (`chunkReader.ts`, two reused 1 MiB buffers) feeds the
 * one splitter, or zlib and then the splitter. No string per line. Errors opening or reading
 * (ENOENT, EISDIR, EACCES...) are `FileError`s with the errno `code`.
 */
import { close, fstat, open, type Stats } from 'node:fs';
import { Observable, type Subscriber } from 'rxjs';
import { FileError, toFileError } from '../errors.js';
import { DEFAULT_CHUNK_SIZE, readChunks, type ReadGate } from './chunkReader.js';
import { ChunkSplitter, DEFAULT_MAX_LINE_BYTES, type LineChunk } from './lineChunk.js';

/** Where and how `readLogFile` reads. */
export interface ReadLogFileOptions {
  /** Byte offset to start at; the bytes from there are read as if they were the file. Default 0. */
  readonly startOffset?: number;
  /** Bytes per read. Default 1 MiB. */
  readonly chunkSize?: number;
  /** Longer lines are flagged overlong. Default 65536. */
  readonly maxLineBytes?: number;
}

export function fileChunks(path: string, options: ReadLogFileOptions = {}): Observable<LineChunk> {
  return readFileChunks(path, options, (err) => toFileError(err, path));
}

export interface ReadFileOptions extends ReadLogFileOptions {
  /** The file is gzip-compressed: its decompressed bytes are split (offsets count those). */
  readonly gzip?: boolean;
  /** Holds reading back while paused (a replay merge waiting for other files). */
  readonly gate?: ReadGate;
}

/**
 * `fileChunks`, of a plain or gzip file, pausable through `gate`. Errors reach `fail` with
 * their errno `code` (a gzip file's as "cannot decompress <path>: ...") and are emitted as it
 * returns them.
 */
export function readFileChunks(
  path: string,
  options: ReadFileOptions,
  fail: (err: NodeJS.ErrnoException) => unknown,
): Observable<LineChunk> {
  const { startOffset = 0, chunkSize = DEFAULT_CHUNK_SIZE, maxLineBytes = DEFAULT_MAX_LINE_BYTES, gzip = false, gate } = options;
  return new Observable<LineChunk>((subscriber) => {
    let stopped = false;
    let teardown = (): void => undefined;
    const error = (err: NodeJS.ErrnoException): void => {
      if (!stopped)
        subscriber.error(fail(gzip ? new FileError(`cannot decompress ${path}: ${err.message}`, path, err.code, { cause: err }) : err));
    };
    open(path, 'r', (openError, fd) => {
      if (openError !== null) return error(openError);
      if (stopped) return close(fd, () => undefined);
      fstat(fd, (statError, stats) => {
        if (statError !== null || stopped) {
          close(fd, () => undefined);
          return statError === null ? undefined : error(statError);
        }
        const feed = gzip ? gunzipInto(subscriber, maxLineBytes, gate, error) : plainInto(subscriber, startOffset, maxLineBytes, stats);
        teardown = feed.stop;
        // A small plain file is read into one buffer its size (one read, then the end): thousands of them cost little.
        const small = !gzip && stats.isFile() && stats.size - startOffset < chunkSize;
        const buffers = small
          ? [Buffer.allocUnsafe(Math.max(SMALL_FILE_BUFFER, stats.size - startOffset + 1))]
          : [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
        const position = stats.isFile() ? (gzip ? 0 : startOffset) : null;
        readChunks(fd, { position, buffers, shortReadEnds: false, gate, stopped: () => stopped }, feed.chunk)
          .then(({ outcome }) => outcome === 'eof' && feed.end(), error)
          .finally(() => close(fd, () => undefined));
      });
    });
    return () => {
      stopped = true;
      teardown();
    };
  });
}

/** The least a small file's read buffer holds (it may have grown a little since its size was taken). */
const SMALL_FILE_BUFFER = 4096;

interface Feed {
  chunk(bytes: Buffer): void | Promise<void>;
  end(): void;
  stop(): void;
}

/** Bytes straight into the splitter (a pipe or device named as a file skips `startOffset` bytes). */
function plainInto(subscriber: Subscriber<LineChunk>, startOffset: number, maxLineBytes: number, stats: Stats): Feed {
  const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk), startOffset, maxLineBytes);
  let skip = stats.isFile() ? 0 : startOffset;
  return {
    chunk: (bytes) => {
      if (skip === 0) return splitter.push(bytes);
      const from = Math.min(skip, bytes.length);
      skip -= from;
      if (from < bytes.length) splitter.push(bytes.subarray(from));
    },
    end: () => {
      splitter.end();
      subscriber.complete();
    },
    stop: () => undefined,
  };
}

/** Compressed bytes through zlib into the splitter; each buffer is lent to zlib until it has taken it in. */
function gunzipInto(
  subscriber: Subscriber<LineChunk>,
  maxLineBytes: number,
  gate: ReadGate | undefined,
  error: (err: Error) => void,
): Feed {
  const splitter = new ChunkSplitter((chunk) => subscriber.next(chunk), 0, maxLineBytes);
  // 256 KiB of output at a time (zlib's default is 16 KiB): fewer, larger pushes, half the CPU time.
  // zlib is loaded by the runs that read a .gz file only (start-up).
  const gunzip = process.getBuiltinModule<'node:zlib'>('node:zlib').createGunzip({ chunkSize: 1 << 18 });
  let taken: (() => void) | undefined;
  gunzip.on('data', (bytes: Buffer) => {
    splitter.push(bytes);
    // Paused: the output of what zlib holds waits too.
    if (gate?.paused === true) {
      gunzip.pause();
      void gate.opened()?.then(() => gunzip.resume());
    }
  });
  gunzip.once('end', () => {
    splitter.end();
    subscriber.complete();
  });
  gunzip.once('error', error);
  return {
    chunk: (bytes) =>
      new Promise<void>((resolve) => {
        taken = resolve;
        gunzip.write(bytes, () => resolve());
      }),
    end: () => gunzip.end(),
    stop: () => {
      gunzip.destroy();
      taken?.(); // a destroyed zlib may never call back: the read loop ends (and the file closes) all the same
    },
  };
}
