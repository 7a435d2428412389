import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The sample unit with ExecStart pointing at this checkout's bin (verify checks that it exists). */
function unitCopy(text = readFileSync(UNIT, 'utf8')): string {
  const path = join(tempDir(), 'apachescan.service');
  writeFileSync(path, text.replaceAll('/usr/local/bin/apachescan', BIN));
  return path;
}

function analyze(args: readonly string[]): { code: number | null; output: string } {
  const result = spawnSync(SYSTEMD_ANALYZE, args, { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

const setting = (text: string, key: string): string[] => [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');

test('samples/systemd/apachescan.service passes systemd-analyze verify without a warning', options(), () => {
  const { code, output } = analyze(['verify', '--man=no', unitCopy()]);
  assert.equal(code, 0, output);
  assert.equal(output.trim(), '', 'no warnings (an unknown or misspelled key is only a warning)');
  // The check can fail: a misspelled key is reported.
  const broken = analyze(['verify', '--man=no', unitCopy(readFileSync(UNIT, 'utf8').replace('ProtectSystem=', 'ProtectSytem='))]);
  assert.match(broken.output, /Unknown key 'ProtectSytem'/);
});

test(`the unit is hardened: systemd-analyze security rates its exposure at most ${MAX_EXPOSURE}`, options(), () => {
  const { code, output } = analyze(['security', '--offline=yes', `--threshold=${MAX_EXPOSURE * 10}`, '--no-pager', unitCopy()]);
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
  assert.match(exec ?? '', /^\/usr\/local\/bin\/apachescan \/var\/log\/apache2\/access\.log --checkpoint \$\{STATE_DIRECTORY\}\/\S+$/);
});
