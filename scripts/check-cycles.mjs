#!/usr/bin/env node
// Fails when any TypeScript module imports itself through others (an import cycle), type-only
// imports included: src, operators, bench and spec, resolved as tsc does (tsconfig.json); and
// when a module of the engine imports against the shape the README draws (each box a folder,
// each arrow an import direction; see ALLOWED). Run by `npm test` before the specs.
// Usage: node scripts/check-cycles.mjs
import madge from 'madge';

const roots = ['src', 'operators', 'bench', 'spec'];
const result = await madge(roots, {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  excludeRegExp: [/^spec\/fixtures\//, /\.d\.ts$/],
  // Type-only imports form cycles too (they tie the modules' designs together).
  detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
});
const cycles = result.circular();
const graph = result.obj();
const files = Object.keys(graph).length;
if (files < 100) {
  console.error(`check-cycles: only ${files} modules found under ${roots.join(', ')}; is the module resolution broken?`);
  process.exit(1);
}
if (cycles.length > 0) {
  console.error(`check-cycles: ${cycles.length} import cycle(s) found (a module reaches itself through its imports):`);
  for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].join(' -> ')}`);
  console.error('Break each one: move what both sides need into a module of its own.');
  process.exit(1);
}

/**
 * The boxes of the README's diagram and what each may import besides itself and the shared
 * vocabulary (src/types.ts, src/errors.ts, src/invalidReasons.ts): sources know nothing of the
 * stages after them; the operators read what sources give; the engine composes sources and
 * operators; sinks see only events; the CLI composes all; nothing imports the CLI.
 */
const ALLOWED = {
  source: ['core'],
  parse: ['source'],
  core: ['parse', 'source'],
  operators: ['core', 'parse', 'source'],
  engine: ['operators', 'core', 'parse', 'source'],
  sinks: ['core'],
  cli: ['engine', 'source', 'sinks', 'parse', 'core'],
};
const SHARED = new Set(['src/types.ts', 'src/errors.ts', 'src/invalidReasons.ts']);
/** The box of a module of the engine, or undefined (the entry points, bench, spec). */
function boxOf(path) {
  if (path.startsWith('operators/')) return 'operators';
  const m = /^src\/([^/]+)\//.exec(path);
  return m === null ? undefined : m[1];
}
const wrong = [];
for (const [from, imports] of Object.entries(graph)) {
  const box = boxOf(from);
  if (box === undefined) continue;
  if (!(box in ALLOWED)) {
    wrong.push(`${from}: src/${box}/ is not a box of the diagram (add it to ALLOWED and to the README)`);
    continue;
  }
  for (const to of imports) {
    const target = boxOf(to);
    if (SHARED.has(to) || target === box || (target !== undefined && ALLOWED[box].includes(target))) continue;
    wrong.push(`${from} -> ${to}`);
  }
}
if (wrong.length > 0) {
  console.error(`check-cycles: ${wrong.length} import(s) against the shape (README, Architecture):`);
  for (const line of wrong) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-cycles: no import cycle in ${files} modules (${roots.join(', ')}), every import along the shape`);
