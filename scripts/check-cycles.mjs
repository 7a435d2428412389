#!/usr/bin/env node
// Fails when any TypeScript module imports itself through others (an import cycle), type-only
// imports included: src, operators, bench and spec, resolved as tsc does (tsconfig.json).
// Run by `npm test` before the specs. Usage: node scripts/check-cycles.mjs
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
const files = Object.keys(result.obj()).length;
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
console.log(`check-cycles: no import cycle in ${files} modules (${roots.join(', ')})`);
