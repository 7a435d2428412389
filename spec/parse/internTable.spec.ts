/**
 * The intern table starts small and grows as names come (a parser per file of a glob of
 * thousands must not cost megabytes each), keeping every id it gave until a new generation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InternTable } from '../../src/parse/internTable.js';

function intern(table: InternTable, text: string): number {
  const bytes = Buffer.from(text, 'latin1');
  return table.intern(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.length), 0, bytes.length);
}

test('a new table is small: its slots grow with the names interned, not with its maximum', () => {
  const table = new InternTable(16);
  assert.ok(table.slotCount <= 256, `starts with ${table.slotCount} slots`);
  for (let i = 0; i < 10; i++) intern(table, `10.0.0.${i}`);
  assert.ok(table.slotCount <= 256, `${table.slotCount} slots for 10 names`);
  for (let i = 0; i < 5000; i++) intern(table, `host-${i}`);
  assert.ok(table.slotCount >= 2 * table.size && table.slotCount <= 4 * 8192, `${table.slotCount} slots for ${table.size} names`);
});

test('ids survive every growth: the same name gets the same id, distinct names distinct ids, up to a new generation', () => {
  const table = new InternTable(14, ['/']);
  const ids = new Map<string, number>();
  const names = Array.from({ length: 8000 }, (_, i) => (i % 3 === 0 ? `/path/${i}/é` : `/p${i}`));
  for (const name of names) ids.set(name, name.includes('é') ? table.idOf(name) : intern(table, name));
  assert.equal(table.generation, 0, 'no new generation below the maximum');
  for (const name of names) {
    const id = name.includes('é') ? table.idOf(name) : intern(table, name);
    assert.equal(id, ids.get(name), name);
    assert.equal(table.nameOf(id), name);
  }
  assert.equal(new Set(ids.values()).size, names.length);
  assert.equal(table.idOf('/'), 0, 'the seed keeps its id');
  // Past the maximum (8192 entries): a new generation, whose seeds and names are found again.
  for (let i = 0; i < 400; i++) intern(table, `/more/${i}`);
  assert.equal(table.generation, 1);
  assert.equal(table.idOf('/'), 0);
  const again = intern(table, '/again');
  assert.equal(intern(table, '/again'), again);
});
