import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

// The API reference (npm run docs) is generated from the JSDoc by TypeDoc; it must build
// without a warning: every type an export refers to is exported, every {@link} resolves,
// every exported member has a doc comment.
test('the API documentation builds without warnings (TypeDoc, typedoc.json)', { timeout: 120_000 }, () => {
  const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--emit', 'none'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 110_000,
  });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, output);
  assert.doesNotMatch(output, /\[warning\]|\[error\]/, output);
});
