import { execFileSync } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// A real terminal for tests: a detached tmux server on its own socket (never the user's),
// started without any configuration, read back with capture-pane.

export const TMUX = process.env['TMUX_BIN'] ?? '/usr/bin/tmux';

/**
 * `{ skip }` options for `test()`: skip when tmux is missing, except under CI (`CI` set),
 * where the test runs and `requireTmux()` fails it with a clear message.
 */
export function tmuxTestOptions(): { skip?: string } {
  if (hasTmux() || process.env['CI']) return {};
  return { skip: `${TMUX} is not installed (apt-get install tmux); required when CI is set` };
}

/** Fails with a clear message when tmux is missing. */
export function requireTmux(): void {
  if (!hasTmux()) throw new Error(`tmux is required for the terminal tests but ${TMUX} is missing: apt-get install tmux`);
}

function hasTmux(): boolean {
  try {
    accessSync(TMUX, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface TmuxSession {
  readonly socket: string;
  /** The visible screen as text (`capture-pane -p`); with `escapes`, colours and attributes as SGR (`-e`). */
  capture(options?: { escapes?: boolean }): string;
  /**
   * Waits until the screen satisfies `ready` and (unless `stable: false`, for a screen that
   * keeps changing) stays the same over two captures 150 ms apart, so that a repaint in
   * progress is never read; fails with the last screen after `timeoutMs`.
   */
  waitFor(ready: (screen: string) => boolean, what: string, timeoutMs?: number, options?: { stable?: boolean }): Promise<string>;
  /** A tmux format variable of the pane, e.g. `pane_pid`, `alternate_on`, `cursor_flag`. */
  pane(variable: string): string;
  sendKeys(...keys: string[]): void;
  resize(width: number, height: number): void;
  /** Kills the server and removes its socket (idempotent). */
  kill(): void;
}

let counter = 0;

/**
 * Runs `command` (through `sh -c`) in a new detached tmux session of `width` x `height`.
 * `env` entries are added to the environment of the server and so of the command;
 * `undefined` removes a variable.
 */
export function startTmux(
  command: string,
  options: { width?: number; height?: number; env?: Record<string, string | undefined>; cwd?: string } = {},
): TmuxSession {
  requireTmux();
  const socket = `apachescan-test-${process.pid}-${++counter}-${Date.now().toString(36)}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['TMUX'];
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const tmux = (...args: string[]): string =>
    execFileSync(TMUX, ['-L', socket, ...args], {
      encoding: 'utf8',
      env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  tmux(
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    'test',
    '-x',
    String(options.width ?? 120),
    '-y',
    String(options.height ?? 40),
    command,
  );
  const socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  let alive = true;
  const session: TmuxSession = {
    socket,
    capture: ({ escapes = false } = {}) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'test'),
    async waitFor(ready, what, timeoutMs = 10_000, { stable = true } = {}) {
      const deadline = Date.now() + timeoutMs;
      let screen = '';
      while (Date.now() < deadline) {
        screen = session.capture();
        if (ready(screen)) {
          if (!stable) return screen;
          await sleep(150);
          const again = session.capture();
          if (again === screen) return screen;
          continue;
        }
        await sleep(50);
      }
      throw new Error(`tmux: timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${screen}`);
    },
    pane: (variable) => tmux('display-message', '-p', '-t', 'test', `#{${variable}}`).trim(),
    sendKeys: (...keys) => void tmux('send-keys', '-t', 'test', ...keys),
    resize: (width, height) => void tmux('resize-window', '-t', 'test', '-x', String(width), '-y', String(height)),
    kill() {
      if (!alive) return;
      alive = false;
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      if (socketPath !== '') rmSync(socketPath, { force: true });
    },
  };
  return session;
}
