import type { Readable } from 'node:stream';

/** The process streams the CLI uses, injectable for tests. */
export interface CliIo {
  readonly stdin: Readable;
  /**
   * The descriptor behind `stdin`, when the CLI may read it directly (the real process: 0);
   * `stdin` is then only used for a terminal. Tests that inject `stdin` leave it out.
   */
  readonly stdinFd?: number;
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}
