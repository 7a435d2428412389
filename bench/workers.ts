/**
 * The parse workers' rows of `npm run bench -- --compare`: the same `--once` with the worker
 * count given (`--parse-workers 0`: all on the main thread; `2`), beside `--once`, which takes
 * the default (one worker for a plain file from a size up, see README, Performance).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Measurement, RssMethod } from './measure.js';
import { measure } from './measure.js';

export function workerPaths(node: string, cli: string, path: string, method: RssMethod): Array<[string, () => Promise<Measurement>]> {
  // A build timed `--against` may predate the workers.
  if (!existsSync(join(dirname(cli), '..', 'dist', 'src', 'engine', 'parallel'))) return [];
  const once = (workers: number) => () =>
    measure(node, [cli, path, '--once', '--output', 'json', '--parse-workers', `${workers}`], { method });
  return [
    ['apachescan FILE --once --parse-workers 0 (one thread)', once(0)],
    ['apachescan FILE --once --parse-workers 2', once(2)],
  ];
}
