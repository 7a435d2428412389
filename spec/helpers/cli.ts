import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tempDir.js';
import { ROOT } from './paths.js';

export { ROOT };
export const BIN = join(ROOT, 'bin', 'apachescan.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI as a child process, optionally feeding standard input. */
export function runCli(
  args: readonly string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** Writes `lines` (joined with newlines) to a new file in a temp folder and returns its path. */
export function writeLog(lines: readonly string[], name = 'access.log'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

/** A Combined line at `seconds` after 2026-01-01T00:00:00Z. */
export function combinedLine(
  seconds: number,
  options: { host?: string; path?: string; status?: number; bytes?: number | '-' } = {},
): string {
  const t = new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${pad(t.getUTCDate())}/${months[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0000`;
  const { host = '10.0.0.1', path = '/', status = 200, bytes = 100 } = options;
  return `${host} - - [${stamp}] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "test-agent/1.0"`;
}

/** Parses NDJSON output into objects. */
export function ndjson(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
