import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCli } from '../../src/cli/createCli.js';
import { optionTable } from '../../src/cli/commandLine.js';
import { completeWords, longOptions } from '../../src/cli/completion.js';

const table = optionTable(createCli([]));

test('longOptions: long names and long aliases only, with --no-checkpoint, sorted', () => {
  const names = longOptions(table);
  assert.deepEqual(names, [...names].sort());
  assert.deepEqual(
    names.filter((n) => !/^--[a-z][a-z-]+$/.test(n)),
    [],
  );
  for (const name of ['--once', '--out-of-order', '--no-checkpoint', '--alert-window']) assert.ok(names.includes(name), name);
  for (const name of ['--l', '--i', '--r', '--t', '--o', '--f']) assert.equal(names.includes(name), false, name);
});

test('completeWords: choices after the option that takes them, long options after -, nothing for files', () => {
  assert.deepEqual(completeWords(['--format', 'v'], table), ['vhost_combined']);
  assert.deepEqual(completeWords(['-o', 'j'], table), ['json']);
  assert.deepEqual(completeWords(['--output=', ''], table), []);
  assert.deepEqual(completeWords(['--alert-w'], table), ['--alert-window']);
  assert.deepEqual(completeWords(['--once', ''], table), []);
  assert.deepEqual(completeWords([''], table), []);
  assert.deepEqual(completeWords([], table), []);
});
