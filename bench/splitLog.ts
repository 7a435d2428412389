/**
 * The bench log cut into several files for the many-files rows of `--compare`: the same
 * lines, so the events equal those of the whole log read at once.
 *
 * - `splitRoundRobin`: line n goes to file n mod k (k logs written side by side in time: the
 *   merge's worst case, every file's rows interleaved with the others').
 * - `splitRotated`: the first third to `<name>.2`, the second to `<name>.1`, the rest to
 *   `<name>` (what `--history` reads, oldest first).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Writes `to[i]` with lines i, i + k, i + 2k, ... of `from` (k = to.length), unless they exist. */
export async function splitRoundRobin(from: string, to: readonly string[]): Promise<void> {
  if (await allExist(to)) return;
  await writeSplit(from, to, (n) => n % to.length);
}

/** Writes `dir/name.2`, `dir/name.1`, `dir/name` with the thirds of the `lines` lines of `from`; returns `dir/name`. */
export async function splitRotated(from: string, lines: number, dir: string, name: string): Promise<string> {
  const live = `${dir}/${name}`;
  const parts = [`${live}.2`, `${live}.1`, live];
  if (await allExist(parts)) return live;
  await mkdir(dir, { recursive: true });
  const third = Math.ceil(lines / 3);
  await writeSplit(from, parts, (n) => Math.min(2, Math.floor(n / third)));
  return live;
}

async function allExist(paths: readonly string[]): Promise<boolean> {
  for (const path of paths) if ((await stat(path).catch(() => undefined)) === undefined) return false;
  return true;
}

async function writeSplit(from: string, to: readonly string[], target: (n: number) => number): Promise<void> {
  const temporary = to.map((path) => `${path}.partial-${process.pid}`);
  const outs = temporary.map((path) => createWriteStream(path, { highWaterMark: 1 << 20 }));
  const pending = to.map(() => '');
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(from, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    const i = target(n++);
    pending[i] += `${line}\n`;
    if ((pending[i] as string).length >= 1 << 20) {
      await write(outs[i] as WriteStream, pending[i] as string);
      pending[i] = '';
    }
  }
  for (let i = 0; i < outs.length; i++) {
    const out = outs[i] as WriteStream;
    out.end(pending[i]);
    await new Promise<void>((resolve, reject) => out.once('finish', () => resolve()).once('error', reject));
    await rename(temporary[i] as string, to[i] as string);
  }
}

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
