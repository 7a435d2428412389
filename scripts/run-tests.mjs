#!/usr/bin/env node
// Runs every compiled spec file with Node's test runner, listing the files explicitly
// (Node 20's --test takes no globs and passes with zero tests). Fails when none is found.
// Spec files run two at a time (most follow-mode specs wait on real time; two overlap well on
// 2 cores); TEST_CONCURRENCY overrides.
// Usage: node scripts/run-tests.mjs [name-filter ...]: the files whose path under dist/spec contains
// a filter ('parse', 'e2e/web'; a leading 'spec/' is dropped). A filter that matches no file is an
// error, so a mistyped one cannot pass by running nothing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = 'dist/spec';
const filters = process.argv.slice(2).map((x) => x.replace(/^(?:dist\/)?spec\//, ''));
let all = [];
try {
  all = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.spec.js'))
    .sort();
} catch {
  all = [];
}
const unmatched = all.length === 0 ? [] : filters.filter((x) => !all.some((f) => f.includes(x)));
if (unmatched.length > 0) {
  console.error(`run-tests: no spec file under ${dir} has ${unmatched.map((x) => `'${x}'`).join(', ')} in its path`);
  process.exit(1);
}
const files = all.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).map((f) => join(dir, f));
if (files.length === 0) {
  console.error(`run-tests: no spec files found under ${dir}`);
  process.exit(1);
}
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 2);
if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
  console.error(`run-tests: TEST_CONCURRENCY must be a whole number >= 1, got ${process.env.TEST_CONCURRENCY}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
