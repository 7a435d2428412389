import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, ROOT } from '../helpers/cli.js';
import { isExecutable } from '../helpers/system.js';
import { tempDir } from '../helpers/tempDir.js';

const SYSTEMD_ANALYZE = process.env['SYSTEMD_ANALYZE'] ?? '/usr/bin/systemd-analyze';
const UNIT = join(ROOT, 'samples', 'systemd', 'apachescan.service');
/** The exposure `systemd-analyze security` may report at most ("OK" goes up to 4.9). */
const MAX_EXPOSURE = 2;

function options(): { skip?: string } {
  if (isExecutable(SYSTEMD_ANALYZE) || process.env['CI']) return {};
  return { skip: `${SYSTEMD_ANALYZE} is not installed (apt-get install systemd); required when CI is set` };
}

/** A copy of the sample unit, changed by `edit` (to show what the checks catch). */
function unitCopy(edit: (text: string) => string): string {
  const path = join(tempDir(), 'apachescan.service');
  writeFileSync(path, edit(readFileSync(UNIT, 'utf8')));
  return path;
}

function analyze(args: readonly string[]): { code: number | null; output: string } {
  const result = spawnSync(SYSTEMD_ANALYZE, args, { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const setting = (text: string, key: string): string[] => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');

test('samples/systemd/apachescan.service as shipped passes systemd-analyze verify without a warning, in a checkout too', options(), () => {
  const { code, output } = analyze(['verify', '--man=no', UNIT]);
  assert.equal(code, 0, output);
  assert.equal(output.trim(), '', 'no warnings (an unknown or misspelled key is only a warning)');
  // The check can fail: a misspelled key is reported, and so is an ExecStart program that is not there.
  const misspelled = analyze(['verify', '--man=no', unitCopy((text) => text.replace('ProtectSystem=', 'ProtectSytem='))]);
  assert.match(misspelled.output, /Unknown key 'ProtectSytem'/);
  const missing = analyze([
    'verify',
    '--man=no',
    unitCopy((text) => text.replace('ExecStart=/usr/bin/env ', 'ExecStart=/nonexistent/apachescan-env ')),
  ]);
  assert.notEqual(missing.code, 0, missing.output);
  assert.match(missing.output, /\/nonexistent\/apachescan-env/);
});

test(`the unit is hardened: systemd-analyze security rates its exposure at most ${MAX_EXPOSURE}`, options(), () => {
  const { code, output } = analyze(['security', '--offline=yes', `--threshold=${MAX_EXPOSURE * 10}`, '--no-pager', UNIT]);
  const exposure = /Overall exposure level for apachescan\.service: ([\d.]+)/.exec(output)?.[1];
  assert.ok(exposure !== undefined, output);
  assert.ok(Number(exposure) <= MAX_EXPOSURE, `exposure ${exposure}`);
  assert.equal(code, 0, output);
});

test('the unit runs as a dynamic user that only reads the logs and keeps its checkpoint in the state directory', () => {
  const text = readFileSync(UNIT, 'utf8');
  assert.deepEqual(setting(text, 'DynamicUser'), ['yes']);
  assert.deepEqual(setting(text, 'ProtectSystem'), ['strict']);
  assert.deepEqual(setting(text, 'StateDirectory'), ['apachescan']);
  assert.deepEqual(setting(text, 'SupplementaryGroups'), ['adm']);
  assert.deepEqual(setting(text, 'ReadOnlyPaths'), ['/var/log/apache2']);
  const [exec] = setting(text, 'ExecStart');
  assert.match(exec ?? '', /^\/usr\/bin\/env apachescan \/var\/log\/apache2\/access\.log --checkpoint \$\{STATE_DIRECTORY\}\/\S+$/);
});

test('ExecStart finds the apachescan that npm installed on the PATH, whichever the prefix', () => {
  // What `npm install -g` leaves: PREFIX/bin/apachescan, a link to the package's bin (found by
  // `/usr/bin/env`, as the bin's own `#!/usr/bin/env node` finds node).
  const [exec] = setting(readFileSync(UNIT, 'utf8'), 'ExecStart');
  const [program, name] = (exec ?? '').split(' ');
  const prefixBin = join(tempDir(), 'bin');
  mkdirSync(prefixBin);
  symlinkSync(BIN, join(prefixBin, name ?? 'missing'));
  const run = spawnSync(program ?? 'missing', [name ?? 'missing', '--version'], {
    encoding: 'utf8',
    env: { PATH: `${prefixBin}:${dirname(process.execPath)}:/usr/bin:/bin` },
  });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^\d+\.\d+\.\d+/);
});
