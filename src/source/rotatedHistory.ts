/**
 * A log's history: the rotated siblings logrotate leaves beside it (`access.log.1`,
 * `access.log.2.gz`, ...), oldest first (highest number first), for `--history`.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `<base>.N` or `<base>.N.gz`, N a whole number. */
export function rotationNumber(base: string, name: string): number | undefined {
  if (!name.startsWith(`${base}.`)) return undefined;
  const match = /^\.(\d{1,6})(?:\.gz)?$/.exec(name.slice(base.length));
  return match === null ? undefined : Number(match[1]);
}

/** Paths of the rotated siblings of `path`, oldest first (`.3.gz`, `.2.gz`, `.1`). */
export async function rotatedHistory(path: string): Promise<string[]> {
  const base = basename(path);
  const dir = dirname(path);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, n: rotationNumber(base, name) }))
    .filter((x): x is { name: string; n: number } => x.n !== undefined)
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
    .map((x) => join(dir, x.name));
}

/**
 * `paths` without the rotated siblings (`<base>.N`, `<base>.N.gz`) of a log among `paths` or
 * `logs`: with `--history` those are read as that log's history, so they are not logs of their
 * own (a glob such as `dir/*` matches both `shop.log` and `shop.log.1`).
 */
export function withoutHistory(paths: readonly string[], logs: Iterable<string> = []): string[] {
  const byDir = new Map<string, string[]>();
  for (const path of [...paths, ...logs]) {
    const dir = dirname(path);
    const names = byDir.get(dir);
    if (names === undefined) byDir.set(dir, [basename(path)]);
    else names.push(basename(path));
  }
  return paths.filter((path) => {
    const name = basename(path);
    return !(byDir.get(dirname(path)) ?? []).some((base) => base !== name && rotationNumber(base, name) !== undefined);
  });
}
