/**
 * Real logrotate for the soak: two generated configs over the same logs and one state file of
 * their own, `create` + `compress` + `delaycompress` (the server reopens its files after it), and
 * `copytruncate` (the server keeps writing through its descriptors).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type RotateMode = 'create' | 'copytruncate';

export const LOGROTATE = '/usr/sbin/logrotate';

export function logrotateInstalled(): boolean {
  return existsSync(LOGROTATE);
}

export class Rotator {
  private readonly state: string;
  private readonly configs: Record<RotateMode, string>;

  /** `dir` holds the configs and the state file; `logs` are the absolute paths rotated. */
  constructor(dir: string, logs: readonly string[]) {
    this.state = join(dir, 'logrotate.state');
    const config = (mode: RotateMode): string =>
      `${logs.join(' ')} {\n  rotate 1000\n  missingok\n  notifempty\n  compress\n  delaycompress\n` +
      `  ${mode === 'create' ? 'create 0644' : 'copytruncate'}\n}\n`;
    this.configs = { create: join(dir, 'create.conf'), copytruncate: join(dir, 'copytruncate.conf') };
    for (const mode of ['create', 'copytruncate'] as const) writeFileSync(this.configs[mode], config(mode), { mode: 0o644 });
  }

  /** Runs `logrotate -f` once; resolves with its stderr when it failed, else ''. */
  rotate(mode: RotateMode): Promise<string> {
    return new Promise((resolve) => {
      const child = spawn(LOGROTATE, ['-f', '-s', this.state, this.configs[mode]], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', (e) => resolve(String(e)));
      child.on('close', (code) => resolve(code === 0 ? '' : `logrotate ${mode} exited ${code}: ${err.trim()}`));
    });
  }
}
