#!/usr/bin/env node
// A stack trace from the command line's bundle, in the TypeScript sources: reads a stack (an
// `apachescan: internal error: ...` message from a bug report) on standard input and prints it
// with every frame in dist/cli/*.cjs and *.js replaced by its place in src/, using the source maps the
// build leaves in dist/cli (the package ships the bundle without them). Build the version the
// report names first (the bundle of one commit is the same in any checkout of it).
//
//   node scripts/map-stack.mjs < report.txt
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'cli');
const maps = new Map();

/** The source map of dist/cli/`name` (undefined when there is none). */
function mapOf(name) {
  if (!maps.has(name)) {
    let map;
    try {
      map = new SourceMap(JSON.parse(readFileSync(join(bundle, `${name}.map`), 'utf8')));
    } catch {
      map = undefined;
    }
    maps.set(name, map);
  }
  return maps.get(name);
}

/** `file:///.../dist/cli/x.js:L:C` or `/.../dist/cli/x.cjs:L:C` -> `src/....ts:L:C`, when a map knows it. */
export function mapFrame(line) {
  return line.replace(/(?:file:\/\/)?[^\s()]*\/dist\/cli\/([\w.-]+\.c?js):(\d+):(\d+)/g, (whole, name, l, c) => {
    const entry = mapOf(name)?.findEntry(Number(l) - 1, Number(c) - 1);
    if (entry === undefined || entry.originalSource === undefined) return whole;
    const source = relative(root, resolve(bundle, entry.originalSource.replace(/^file:\/\//, '')));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = readFileSync(0, 'utf8');
  process.stdout.write(text.split('\n').map(mapFrame).join('\n'));
}
