/**
 * What the main thread and the parsing workers (`parseWorker.ts`, started by
 * `parallelReplay.ts`) tell each other: segments of whole lines out, their lines and rows back.
 */
import type { InvalidLine } from '../../types.js';

/** Given to each worker when it starts. */
export interface ParseWorkerData {
  readonly format: string;
  readonly maxLineBytes: number;
}

/**
 * A segment: the bytes `[0, length)` of `buffer` (transferred), whole lines, cut by the main
 * thread (`segmentLines.ts`: `lines`, transferred, holds `lineCount` lines; `chunkLines`, the
 * lines of each chunk the splitter made).
 */
export interface Segment {
  readonly seq: number;
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly lines: ArrayBuffer;
  readonly lineCount: number;
  readonly chunkLines: readonly number[];
  /** The buffer of an earlier `ParsedSegment`'s rows, given back for reuse. */
  readonly spare: ArrayBuffer | undefined;
}

/**
 * A parsed segment: its bytes and lines given back, and per chunk the rows of its batch (none
 * for blank lines only; the rows' columns are views of one buffer), with the names the
 * worker's intern tables gave out since the previous batch.
 */
export interface ParsedSegment {
  readonly seq: number;
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly lines: ArrayBuffer;
  readonly lineCount: number;
  readonly times: Float64Array;
  readonly status: Uint16Array;
  readonly bytes: Float64Array;
  readonly hostIds: Int32Array;
  readonly sectionIds: Int32Array;
  /** Row -> line of its chunk. */
  readonly rowLine: Int32Array;
  readonly batches: readonly BatchInfo[];
}

export interface BatchInfo {
  /** Lines of the chunk, rows of its batch. */
  readonly lines: number;
  readonly rows: number;
  readonly invalid: readonly InvalidLine[];
  /** The worker's host table started a new generation: the names below start from id 0. */
  readonly hostsFromZero: boolean;
  /** Names of the next host ids. */
  readonly hostNames: readonly string[];
  readonly sectionsFromZero: boolean;
  readonly sectionNames: readonly string[];
}

/** A worker's failure, as a message (its stack stays with it). */
export interface WorkerFailure {
  readonly error: string;
}
