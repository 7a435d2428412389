import type { Readable } from 'node:stream';

/** The process streams the CLI uses, injectable for tests. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}
