/**
 * A follower driven by hand: the step function `tailFile` runs on change signals
 * (`src/source/fileFollower.ts`), called by the test between explicit file operations, on a
 * manual clock. No watcher, no timer, no writer process: each interleaving of writes,
 * rotations and reads is the one the test chose.
 */
import { appendFileSync } from 'node:fs';
import type { StartAt } from '../../src/source/followStart.js';
import type { TailChunk } from '../../src/source/fileCursor.js';
import { fileFollower, type FileFollower } from '../../src/source/fileFollower.js';
import type { OpenFiles } from '../../src/source/openFiles.js';
import { ManualScheduler } from './manualScheduler.js';

export interface StepFollower {
  readonly lines: string[];
  readonly chunks: Omit<TailChunk, 'lines' | 'overlong'>[];
  readonly warnings: string[];
  readonly clock: ManualScheduler;
  readonly follower: FileFollower;
  /** One step, to its end. */
  step(): Promise<void>;
  /** Moves the clock by `ms`, then steps. */
  stepAfter(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function stepFollower(
  path: string,
  options: { start?: StartAt; rotateGrace?: number; chunkSize?: number; openFiles?: OpenFiles } = {},
): StepFollower {
  const clock = new ManualScheduler(1_000_000);
  const lines: string[] = [];
  const chunks: StepFollower['chunks'][number][] = [];
  const warnings: string[] = [];
  let stopped = false;
  const follower = fileFollower(path, {
    start: options.start ?? { offset: 0 },
    rotateGrace: options.rotateGrace ?? 2000,
    ...(options.chunkSize === undefined ? {} : { chunkSize: options.chunkSize }),
    ...(options.openFiles === undefined ? {} : { openFiles: options.openFiles }),
    now: () => clock.now(),
    emit: ({ view, start, position }) => {
      const ends: number[] = [];
      for (let i = 0; i < view.count; i++) {
        lines.push(view.text(i));
        ends.push(view.offsets[i] as number);
      }
      chunks.push({ start, ends, position });
    },
    onWarning: (m) => warnings.push(m),
    stopped: () => stopped,
  });
  return {
    lines,
    chunks,
    warnings,
    clock,
    follower,
    step: () => follower.step(),
    stepAfter: async (ms) => {
      await clock.advance(ms);
      await follower.step();
    },
    close: () => {
      stopped = true;
      return follower.close();
    },
  };
}

/** Appends lines `from`..`to` (`<k> line`), one write each, as a server does; returns `to + 1`. */
export function writeLines(path: string, from: number, to: number): number {
  for (let k = from; k <= to; k++) appendFileSync(path, `${k} line\n`);
  return to + 1;
}
