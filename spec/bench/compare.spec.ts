import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareTable, FLOOR_ROW, ONCE_ROW, type Row } from '../../bench/compare.js';
import { countLinesFloor } from '../../bench/floor.js';
import { spread } from '../../bench/rounds.js';
import { tempDir } from '../helpers/tempDir.js';

const row = (path: string, lines: number, ...ms: number[]): Row => ({ path, lines, wall: spread(ms), peakMb: 70 });

/** The table's cells of the row named `path` (trimmed). */
function cellsOf(table: string, path: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`| ${path} `));
  assert.ok(line !== undefined, `no row ${path}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('bench compare table', () => {
  // A build's rows against its own --once; a row whose name starts like --once's
  // (`--once --report`) is not a --once row.
  const rows = [
    row(FLOOR_ROW, 1000, 100),
    row(ONCE_ROW, 1000, 200),
    row(`${ONCE_ROW} [against]`, 1000, 400),
    row('cat FILE | apachescan - --once', 1000, 300),
    row('cat FILE | apachescan - --once [against]', 1000, 600),
    row(`${ONCE_ROW} --report FILE.html`, 1000, 250),
    row(FLOOR_ROW, 2000, 150),
    row(ONCE_ROW, 2000, 450),
  ];
  const table = compareTable(rows);

  it('gives each build its own --once ratios', () => {
    assert.equal(cellsOf(table, 'cat FILE | apachescan - --once').at(-2), '1.50x');
    assert.equal(cellsOf(table, 'cat FILE | apachescan - --once [against]').at(-2), '1.50x');
    assert.equal(cellsOf(table, `${ONCE_ROW} [against]`).at(-2), '1.00x');
    assert.equal(cellsOf(table, `${ONCE_ROW} --report FILE.html`).at(-2), '1.25x');
  });

  it('gives every row its ratio to the floor of its log', () => {
    assert.equal(cellsOf(table, `${ONCE_ROW} [against]`).at(-1), '4.00x');
    assert.equal(cellsOf(table, 'cat FILE | apachescan - --once').at(-1), '3.00x');
    assert.equal(cellsOf(table, FLOOR_ROW).at(-1), '1.00x');
    const twoK = table.split('\n').filter((l) => l.includes(' 2,000 '));
    assert.deepEqual(
      twoK.map((l) => l.split('|').at(-2)?.trim()),
      ['1.00x', '3.00x'],
    );
  });
});

describe('bench floor', () => {
  it('counts the lines of a file across its 1 MiB reads, a last line without a newline too', () => {
    const dir = tempDir();
    const file = (name: string): string => join(dir, name);
    const line = `${'x'.repeat(99)}\n`;
    const lines = Math.ceil((3 << 20) / line.length);
    writeFileSync(file('a.log'), line.repeat(lines));
    assert.equal(countLinesFloor(file('a.log')), lines);
    writeFileSync(file('b.log'), `${line.repeat(lines)}last`);
    assert.equal(countLinesFloor(file('b.log')), lines + 1);
    writeFileSync(file('c.log'), '');
    assert.equal(countLinesFloor(file('c.log')), 0);
  });
});
