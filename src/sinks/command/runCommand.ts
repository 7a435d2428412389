import { spawn } from 'node:child_process';
import type { SchedulerLike } from 'rxjs';

/** How one run of a command ended. */
export type CommandOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'failed'; readonly reason: string; readonly stderr: string }
  | { readonly kind: 'timeout'; readonly stderr: string };

export interface RunCommandOptions {
  /** Killed (SIGTERM to its process group, SIGKILL 1 s later) after this many ms. */
  readonly timeout: number;
  /** The timers go through it. */
  readonly scheduler: SchedulerLike;
}

/** Bytes of the command's stderr kept for the failure message. */
const STDERR_TAIL = 400;
const KILL_GRACE = 1000;

/**
 * Runs `command` with `/bin/sh -c`, writes `input` to its standard input and resolves when it
 * has ended (never rejects). Its stdout is discarded (our stdout carries the events); the tail
 * of its stderr is kept for the message. It runs in its own process group, so a timeout ends
 * the children it started too. `kill()` ends it at once (SIGKILL).
 */
export function runCommand(
  command: string,
  input: string,
  options: RunCommandOptions,
): { done: Promise<CommandOutcome>; kill: () => void } {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  let timedOut = false;
  const signalGroup = (name: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-STDERR_TAIL)));
  child.stdin?.on('error', () => undefined); // a command that does not read its input is fine
  child.stdin?.end(input);
  let grace: { unsubscribe(): void } | undefined;
  const timer = options.scheduler.schedule(() => {
    timedOut = true;
    signalGroup('SIGTERM');
    grace = options.scheduler.schedule(() => signalGroup('SIGKILL'), KILL_GRACE);
  }, options.timeout);
  const done = new Promise<CommandOutcome>((resolve) => {
    child.once('error', (err) => {
      timer.unsubscribe();
      resolve({ kind: 'failed', reason: err.message, stderr });
    });
    child.once('close', (code, signal) => {
      timer.unsubscribe();
      grace?.unsubscribe();
      if (timedOut) resolve({ kind: 'timeout', stderr });
      else if (code === 0) resolve({ kind: 'ok' });
      else resolve({ kind: 'failed', reason: signal === null ? `exit code ${code}` : `killed by ${signal}`, stderr });
    });
  });
  return { done, kill: () => signalGroup('SIGKILL') };
}
