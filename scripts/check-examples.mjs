#!/usr/bin/env node
// Type-checks every TypeScript example: the ```ts blocks of README.md and of the doc comments
// in src/ and operators/ (those after @example included). Each example becomes a module in
// dist/examples/ (inside the checkout, so rxjs and @types/node resolve), compiled with tsc
// against the built declarations: `apachescan` and its subpaths are mapped with `paths` to
// dist/. An example without an import gets the runtime exports of `apachescan` and
// `apachescan/operators` imported for it; free names an example leaves to the reader
// (`lines$`, `stop$`, `handle`...) are declared in the prelude below. A broken example fails
// the run, named by its file and line. Build first (npm run build).
// Usage: node scripts/check-examples.mjs [ROOT]   (ROOT: the checkout, by default this script's)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HOME = fileURLToPath(new URL('..', import.meta.url));
const ROOT = process.argv[2] === undefined ? HOME : resolve(process.argv[2]);
const OUT = join(ROOT, 'dist', 'examples');
const ENTRIES = {
  apachescan: 'dist/src/index',
  'apachescan/operators': 'dist/operators/index',
  'apachescan/prometheus': 'dist/src/sinks/prometheus/index',
  'apachescan/influx': 'dist/src/sinks/influx/index',
  'apachescan/web': 'dist/src/sinks/web/index',
};

/** What the examples may use without defining it: the reader's own values. */
const PRELUDE = `import type { Observable } from 'rxjs';
import type { MonitorEvent } from 'apachescan';
declare global {
  const lines$: Observable<string>;
  const stop$: Observable<unknown>;
  const events$: Observable<MonitorEvent>;
  function handle(value: unknown): void;
  function save(value: unknown): void;
}
export {};
`;

/** Every ```ts block of `text`, with the 1-based line of its first code line. */
function blocks(text, inComment) {
  const lines = text.split('\n').map((line) => (inComment ? line.replace(/^\s*\*( |$)/, '') : line));
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    found.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return found;
}

function sources(dir) {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

const examples = [];
for (const file of ['README.md', ...sources('src'), ...sources('operators')]) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  for (const block of blocks(text, file.endsWith('.ts'))) examples.push({ file, ...block });
}

const runtime = {};
for (const name of ['apachescan', 'apachescan/operators']) {
  runtime[name] = Object.keys(await import(pathToFileURL(join(ROOT, `${ENTRIES[name]}.js`)).href));
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'prelude.ts'), PRELUDE);
const HEADER_LINES = 2;
examples.forEach((example, n) => {
  const imports = /^\s*import\s/m.test(example.code)
    ? ''
    : Object.entries(runtime)
        .map(([name, keys]) => `import { ${keys.join(', ')} } from '${name}';`)
        .join(' ');
  // Two lines before the example's own, so its line k is line k + HEADER_LINES here.
  writeFileSync(join(OUT, `example${n}.ts`), `// ${example.file}:${example.line}\n${imports}\n${example.code}\nexport {};\n`);
});
const paths = Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, [relative(OUT, join(ROOT, `${file}.d.ts`))]]));
writeFileSync(
  join(OUT, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'es2022',
        lib: ['es2022'],
        module: 'esnext',
        moduleResolution: 'bundler',
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        baseUrl: '.',
        paths,
      },
      include: ['*.ts'],
    },
    null,
    2,
  ),
);

const tsc = spawnSync(process.execPath, [join(HOME, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', OUT], { encoding: 'utf8' });
const output = `${tsc.stdout}${tsc.stderr}`;
let failures = 0;
for (const line of output.split('\n')) {
  const m = /(?:^|\/)example(\d+)\.ts\((\d+),(\d+)\): (.*)$/.exec(line);
  if (m === null) {
    if (line.trim() !== '') console.error(line);
    continue;
  }
  const example = examples[Number(m[1])];
  failures++;
  console.error(`${example.file}:${example.line + Number(m[2]) - 1 - HEADER_LINES}:${m[3]}: ${m[4]}`);
}
if (tsc.status !== 0) {
  console.error(`check-examples: ${failures} error(s) in ${examples.length} TypeScript examples (extracted in ${relative(HOME, OUT)})`);
  process.exit(1);
}
rmSync(OUT, { recursive: true, force: true });
console.log(`check-examples: ${examples.length} TypeScript examples compile`);
