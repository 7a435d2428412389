/**
 * Lines already decoded (e.g. from the follower, `tailFile`), handed to `parseAccessLog` as one
 * batch (see src/core/batches.ts). `afterEmit(i)` is called right after line i closed windows
 * and all their events are out: where follow mode takes its checkpoint.
 */
export interface TextChunk {
  readonly lines: readonly string[];
  readonly afterEmit?: ((line: number) => void) | undefined;
}
