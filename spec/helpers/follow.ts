/** Test helpers: subscribe to `tailFile` and keep everything it says; clean-up after the tests. */
import { tailFile, type TailFileOptions } from '../../src/source/tailFile.js';
import type { TailChunk } from '../../src/source/fileCursor.js';
import { removeTempDirs } from './tempDir.js';
import { killWriters } from './writer.js';

export interface Followed {
  readonly lines: string[];
  readonly chunks: TailChunk[];
  readonly warnings: string[];
  readonly errors: unknown[];
  /** Time (performance.now()) each chunk arrived. */
  readonly arrivals: number[];
  stop(): void;
}

export function follow(path: string, options: TailFileOptions = {}): Followed {
  const followed = { lines: [], chunks: [], warnings: [], errors: [], arrivals: [] } as Omit<Followed, 'stop'>;
  const sub = tailFile(path, { ...options, onWarning: (m) => followed.warnings.push(m) }).subscribe({
    next: (chunk) => {
      followed.chunks.push(chunk);
      followed.lines.push(...chunk.lines);
      followed.arrivals.push(performance.now());
    },
    error: (err: unknown) => followed.errors.push(err),
  });
  stops.add(sub);
  return { ...followed, stop: () => sub.unsubscribe() };
}

const stops = new Set<{ unsubscribe(): void }>();

/** After the tests: unsubscribes every follower, kills writers, removes the temp dirs. */
export function cleanUp(): void {
  for (const sub of stops) sub.unsubscribe();
  stops.clear();
  killWriters();
  removeTempDirs();
}
