#!/usr/bin/env node
// Runs every compiled spec file with Node's test runner, listing the files explicitly
// (Node 20's --test takes no globs and passes with zero tests). Fails when none is found.
// Spec files run two at a time (most follow-mode specs wait on real time; two overlap well on
// 2 cores); TEST_CONCURRENCY overrides.
// Usage: node scripts/run-tests.mjs [name-filter ...]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = 'dist/spec';
const filters = process.argv.slice(2);
let files = [];
try {
  files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.spec.js'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort()
    .map((f) => join(dir, f));
} catch {
  files = [];
}
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
