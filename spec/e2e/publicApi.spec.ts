import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';

/** The README's API table: entry point -> the runtime exports it lists. */
export function apiTable(readme: string): Map<string, Set<string>> {
  const section = readme.split(/^### API$/m)[1]?.split(/^#{2,3} /m)[0];
  assert.ok(section !== undefined, 'README has no ### API section');
  // The first table of the section: its lines from the header to the first line that is not a row.
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > first && !line.startsWith('|'));
  const rows = lines.slice(first, end < 0 ? undefined : end).slice(2);
  assert.ok(first >= 0 && rows.length > 0, 'the API section has no table');
  const table = new Map<string, Set<string>>();
  for (const row of rows) {
    const [, entry, exports] = row
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
    const entryName = /^`([^`]+)`$/.exec(entry ?? '')?.[1];
    assert.ok(entryName !== undefined, `no entry point in ${row}`);
    const names = [...(exports ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    const set = table.get(entryName) ?? new Set<string>();
    for (const name of names) set.add(name);
    table.set(entryName, set);
  }
  return table;
}

test('every runtime export of every entry point is in the README API table, and nothing else', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> };
  const table = apiTable(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const entries = Object.entries(pkg.exports).filter(([key]) => !key.endsWith('.json'));
  assert.deepEqual([...table.keys()].sort(), entries.map(([key]) => join('apachescan', key)).sort(), 'one table row set per entry point');
  for (const [key, target] of entries) {
    const entry = join('apachescan', key);
    const file = typeof target === 'string' ? target : target.default;
    const module = (await import(pathToFileURL(join(ROOT, file)).href)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(module).sort(), [...(table.get(entry) ?? [])].sort(), `${entry} exports what the README lists`);
  }
});

test('the table parser reads names from the exports column only', () => {
  const table = apiTable(
    '### API\n\n| use | entry point | exports |\n| --- | --- | --- |\n| a `x` | `m` | `f`, `g` |\n| b | `m` | `g` |\n\n| c | `n` | `h` |\n## Next\n| d | `o` | `i` |\n',
  );
  assert.deepEqual(
    [...table.entries()].map(([k, v]) => [k, [...v]]),
    [['m', ['f', 'g']]],
  );
});
