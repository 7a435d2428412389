import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { isExecutable } from '../helpers/system.js';
import { createCli } from '../../src/cli/createCli.js';
import { renderManPage } from '../../src/cli/manPage.js';
import { tempDir } from '../helpers/tempDir.js';

const MAN = '/usr/bin/man';
const BASH = '/bin/bash';
const MAN_PAGE = join(ROOT, 'dist', 'apachescan.1');

/** Every option name and alias the command line defines (yargs' own table). */
function optionNames(): string[] {
  const table = (createCli([]) as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
  return Object.keys(table.key).filter((k) => !k.startsWith('_'));
}

const flag = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);

function renderedMan(): string {
  const result = spawnSync(MAN, ['-l', MAN_PAGE], {
    encoding: 'utf8',
    env: { ...process.env, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '250', LANG: 'C.UTF-8' },
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

test('the built man page is the one the option definitions give now (no drift)', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(readFileSync(MAN_PAGE, 'utf8'), await renderManPage(createCli([]), version));
});

test('every option is in the man page, as man -l renders it', {
  skip: isExecutable(MAN) || process.env['CI'] ? false : `${MAN} is not installed (apt-get install man-db)`,
}, () => {
  const names = optionNames();
  assert.ok(names.length >= 30, `${names.length} options`);
  const text = renderedMan();
  for (const section of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'ENVIRONMENT', 'EXIT STATUS'])
    assert.match(text, new RegExp(`^${section}$`, 'm'));
  const tags = text.split('\n').filter((l) => /^ {7}-/.test(l));
  for (const name of names) {
    assert.ok(
      tags.some((l) => l.split(/,? /).includes(flag(name))),
      `man page lists ${flag(name)}`,
    );
  }
  assert.doesNotMatch(text, /__yargsString__/);
});

test('every long option is offered by the shell completion', async () => {
  const { code, stdout } = await runCli(['--get-yargs-completions', 'apachescan', '--']);
  assert.equal(code, 0);
  const offered = new Set(stdout.split('\n'));
  for (const name of optionNames().filter((n) => n.length > 1)) assert.ok(offered.has(`--${name}`), `completion offers --${name}`);
});

/** What `apachescan WORDS...<Tab>` is offered: the completion script's own command, run end to end. */
async function completions(...words: string[]): Promise<string[]> {
  const { code, stdout, stderr } = await runCli(['--get-yargs-completions', 'apachescan', ...words]);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  return stdout.split('\n').filter((l) => l !== '');
}

test('completion of long options: every one, --file and --no-checkpoint included, never a one-letter alias as --x', async () => {
  for (const current of ['-', '--']) {
    const offered = await completions(current);
    for (const name of ['--file', '--no-checkpoint', '--checkpoint', '--out-of-order', '--format', '--once', '--help', '--version'])
      assert.ok(offered.includes(name), `${current}: offers ${name}`);
    assert.deepEqual(
      offered.filter((o) => /^--.$/.test(o) || !o.startsWith('--')),
      [],
      `${current}: only long options`,
    );
  }
  assert.ok((await completions('/tmp/a.log', '--')).includes('--no-checkpoint'), 'after a file too');
  assert.deepEqual(await completions('--f'), ['--file', '--format', '--from-end']);
});

test('completion of values: --format names, --output and --by choices; files and free values are left to the shell', async () => {
  assert.deepEqual(await completions('--format', ''), ['auto', 'common', 'combined', 'vhost_combined']);
  assert.deepEqual(await completions('/tmp/a.log', '--format', 'c'), ['common', 'combined']);
  assert.deepEqual(await completions('--output', ''), ['text', 'json']);
  assert.deepEqual(await completions('-o', ''), ['text', 'json']);
  assert.deepEqual(await completions('--by', ''), ['file', 'vhost']);
  // Nothing: `complete -o default` then offers file names (no `$0`, no `completion`).
  assert.deepEqual(await completions(''), []);
  assert.deepEqual(await completions('/tmp/a.log', ''), []);
  assert.deepEqual(await completions('--once', 'sam'), []);
  assert.deepEqual(await completions('--config', ''), []);
  assert.deepEqual(await completions('--interval', ''), []);
});

test('apachescan completion: the script completes options and choices in a real bash', {
  skip: isExecutable(BASH) ? false : 'bash is not installed',
}, () => {
  const bin = tempDir();
  symlinkSync(BIN, join(bin, 'apachescan'));
  const complete = (words: string[]): string[] => {
    const script = `source <(apachescan completion) && COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}) && COMP_CWORD=${words.length - 1} && _apachescan_yargs_completions && printf '%s\\n' "\${COMPREPLY[@]}"`;
    const result = spawnSync(BASH, ['-c', script], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
    });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.split('\n').filter((l) => l !== '');
  };
  assert.deepEqual(complete(['apachescan', '--alert']).sort(), [
    '--alert-max-age',
    '--alert-window',
    '--alertmanager',
    '--alertmanager-resend',
  ]);
  assert.deepEqual(complete(['apachescan', '--output', '']).sort(), ['json', 'text']);
  assert.deepEqual(complete(['apachescan', '--format', 'c']).sort(), ['combined', 'common']);
  assert.deepEqual(complete(['apachescan', '--no-c']), ['--no-checkpoint']);
  assert.deepEqual(complete(['apachescan', 'sam']), [], 'nothing from apachescan: bash offers file names');
  const registered = spawnSync(BASH, ['-c', 'source <(apachescan completion) && complete -p apachescan'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
  });
  assert.match(
    registered.stdout,
    /^complete -o bashdefault -o default -F _apachescan_yargs_completions apachescan$/m,
    'file names when nothing matches',
  );
});

test('apachescan completion prints the script and nothing else (the default command does not run)', async () => {
  const { code, stdout, stderr } = await runCli(['completion']);
  assert.equal(code, 0);
  assert.match(stdout, /^###-begin-apachescan-completions-###$/m);
  assert.match(stdout, /###-end-apachescan-completions-###\n+$/);
  assert.equal(stderr, '');
});
