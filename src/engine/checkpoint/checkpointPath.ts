import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the checkpoint of a followed log lives by default:
 * `$XDG_STATE_HOME/apachescan/<name>-<hash of the absolute log path>.json`
 * (`~/.local/state/apachescan/...` when XDG_STATE_HOME is unset), one file per log.
 */
export function defaultCheckpointPath(logPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const absolute = resolve(logPath);
  const base =
    env['XDG_STATE_HOME'] !== undefined && env['XDG_STATE_HOME'] !== '' ? env['XDG_STATE_HOME'] : join(homedir(), '.local', 'state');
  // crypto is loaded by the runs that checkpoint only (start-up).
  const digest = process.getBuiltinModule<'node:crypto'>('node:crypto').createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  const name =
    absolute
      .split('/')
      .pop()
      ?.replace(/[^A-Za-z0-9._-]/g, '_') || 'log';
  return join(base, 'apachescan', `${name}-${digest}.json`);
}
