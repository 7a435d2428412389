/**
 * Globs expanded by apachescan itself (`'/var/log/apache2/*access.log'`), so that following
 * can re-scan and pick up new files. `*` (any run of characters), `?` (one character) and
 * `[...]` (`[abc]`, `[a-z]`, `[!a]` or `[^a]`) within one path segment; a leading `.` is
 * matched only by a literal dot, as in the shell. The matcher is the linear two-pointer
 * wildcard walk (no regex, no backtracking blow-up on hostile names). A pattern whose folders
 * were quiet when it was expanded (`dirListing.ts`: mtime over `QUIET_MS` old) and that matched
 * regular files only is not expanded again while a stat of each folder shows it unchanged: a
 * rescan of a folder of ten thousand files every 2 s costs a stat, not a listing.
 */
import { readdir, stat } from 'node:fs/promises';
import { quietStamp, sameFolder, type FolderStamp } from './dirListing.js';
import { isAbsolute, join, sep } from 'node:path';

/** Whether `text` is a pattern: a `*`, a `?`, or a `[...]` class (a `[` without its `]` is a plain character). */
export function hasGlob(text: string): boolean {
  return /[*?]|\[[^\]/]+\]/.test(text);
}

/** Whether `name` (one path segment) matches `pattern` (one segment). */
export function matchSegment(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = p++;
      starN = n;
      continue;
    }
    if (c !== undefined) {
      const step = c === '?' ? 1 : c === '[' ? classMatch(pattern, p, name[n] as string) : c === name[n] ? 1 : 0;
      if (step > 0) {
        p += c === '[' ? step : 1;
        n++;
        continue;
      }
    }
    if (starP < 0) return false;
    p = starP + 1;
    n = ++starN;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * At `pattern[at] === '['`: the class's length when `ch` is in it, 0 when not. A `[` with no
 * closing `]` is a literal `[`.
 */
function classMatch(pattern: string, at: number, ch: string): number {
  let i = at + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  let found = false;
  let first = true;
  while (i < pattern.length && (first || pattern[i] !== ']')) {
    first = false;
    const lo = pattern[i] as string;
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      const hi = pattern[i + 2] as string;
      if (ch >= lo && ch <= hi) found = true;
      i += 3;
    } else {
      if (ch === lo) found = true;
      i++;
    }
  }
  if (i >= pattern.length) return ch === '[' ? 1 : 0;
  return found !== negate ? i - at + 1 : 0;
}

/** A pattern's last expansion, with the folders it listed as a stat before each listing showed them. */
interface Expansion {
  readonly files: string[];
  readonly folders: readonly (FolderStamp & { readonly path: string })[];
}

const MAX_EXPANSIONS = 64;
const expansions = new Map<string, Expansion>();

/** Whether `pattern`'s last expansion is kept (for specs). */
export function expansionKept(pattern: string): boolean {
  return expansions.has(pattern);
}

/** The files (not directories) matching `pattern`, sorted; a pattern without glob characters is itself. */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (!hasGlob(pattern)) return [pattern];
  const last = expansions.get(pattern);
  if (last !== undefined && (await foldersUnchanged(last))) return [...last.files];
  expansions.delete(pattern);
  const folders: Expansion['folders'][number][] = [];
  const files = await expand(pattern, folders);
  if (folders.length > 0) {
    if (expansions.size >= MAX_EXPANSIONS) expansions.delete(expansions.keys().next().value as string);
    expansions.set(pattern, { files: [...files], folders });
  }
  return files;
}

async function foldersUnchanged({ folders }: Expansion): Promise<boolean> {
  for (const folder of folders) {
    const now = await stat(folder.path).catch(() => undefined);
    if (now === undefined || !sameFolder(folder, now)) return false;
  }
  return true;
}

/**
 * Expands `pattern`; `folders` receives each folder listed, stat'ed before its listing, when
 * every one was quiet and every match a regular file (else it is emptied: not kept).
 */
async function expand(pattern: string, folders: Expansion['folders'][number][]): Promise<string[]> {
  let keep = true;
  const listed = async (base: string) => {
    const before = keep ? await stat(base).catch(() => undefined) : undefined;
    const stamp = before === undefined ? undefined : quietStamp(before);
    if (stamp === undefined) keep = false;
    else folders.push({ path: base, ...stamp });
    return readdir(base, { withFileTypes: true }).catch(() => []);
  };
  const absolute = isAbsolute(pattern);
  const segments = pattern.split(sep).filter((s, i) => s !== '' || i === 0);
  let bases: string[] = [absolute ? sep : segments[0] === '' ? sep : '.'];
  const rest = absolute || segments[0] === '' ? segments.slice(1) : segments;
  // Matches the listing says are regular files need no stat (a rescan of ten thousand files is one readdir, not ten thousand stats).
  const regular = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const segment = rest[i] as string;
    const last = i === rest.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlob(segment)) {
        next.push(join(base, segment));
        continue;
      }
      const entries = await listed(base);
      for (const entry of entries) {
        if (!matchSegment(segment, entry.name)) continue;
        if (!last && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
        const path = join(base, entry.name);
        if (last && entry.isFile()) regular.add(path);
        next.push(path);
      }
    }
    bases = next;
  }
  const files: string[] = [];
  for (const path of bases.sort()) {
    if (regular.has(path)) {
      files.push(relativeLike(pattern, path));
      continue;
    }
    // A symbolic link, or a path not listed: what it names can change without its folder changing.
    keep = false;
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() === true) files.push(relativeLike(pattern, path));
  }
  if (!keep) folders.length = 0;
  return files;
}

/** `./x` back to `x` when the pattern was relative without `./`. */
function relativeLike(pattern: string, path: string): string {
  return !isAbsolute(pattern) && !pattern.startsWith(`.${sep}`) && path.startsWith(`.${sep}`) ? path.slice(2) : path;
}
