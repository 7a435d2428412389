/**
 * The intern table starts small and grows as names come (a parser per file of a glob of
 * thousands must not cost megabytes each), keeping every id it gave until a new generation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { asciiKeyHash, InternTable } from '../../src/parse/internTable.js';

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

test('property: a byte range anywhere in a buffer gets the id of its decoded text, one id per text, through growth (every length, bad UTF-8)', () => {
  // Few byte values, so that keys of one length often share all but a byte (the last word is
  // read ending at the key's end, overlapping the one before): ASCII, a UTF-8 sequence, bytes
  // that are not UTF-8 (0xff and 0xfe both decode to U+FFFD), and the delimiters the parsers cut at.
  const byte = fc.constantFrom(0x61, 0x62, 0x2f, 0x2e, 0x31, 0x20, 0x00, 0x7f, 0xc3, 0xa9, 0xff, 0xfe);
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 13 }) },
    { weight: 4, arbitrary: fc.array(byte, { minLength: 0, maxLength: 13 }).map((a) => Uint8Array.from(a)) },
    { weight: 1, arbitrary: fc.array(byte, { minLength: 250, maxLength: 262 }).map((a) => Uint8Array.from(a)) },
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(key, fc.nat(7), fc.nat(7), fc.boolean()), { minLength: 1, maxLength: 400 }), (entries) => {
      const table = new InternTable(6, ['-', '/']);
      const ids = new Map<string, number>();
      for (const [bytes, before, after, asText] of entries) {
        // The key inside a larger buffer, at any alignment, between other bytes.
        const b = Buffer.alloc(before + bytes.length + after, 0x41);
        b.set(bytes, before);
        const text = Buffer.from(bytes).toString('utf8');
        const generation = table.generation;
        const id = asText
          ? table.idOf(text)
          : table.intern(b, new DataView(b.buffer, b.byteOffset, b.length), before, before + bytes.length);
        if (table.generation !== generation) ids.clear();
        const known = ids.get(text);
        if (known === undefined) {
          assert.ok(![...ids.values()].includes(id), `a new text ${JSON.stringify(text)} got the id ${id} of another`);
          ids.set(text, id);
        } else assert.equal(id, known, `the text ${JSON.stringify(text)} again`);
        assert.equal(table.nameOf(id), text);
      }
    }),
    { seed: 2121, numRuns: 300 },
  );
});

test('keys with the same hash stay apart: the bytes are compared, first words and last word (found by search, every length 4 to 13)', () => {
  const view = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.length);
  /** Two keys of `length` bytes, equal but for the 4 bytes at `at`, with the same asciiKeyHash. */
  const collision = (length: number, at: number): [Buffer, Buffer] => {
    const seen = new Map<number, Buffer>();
    for (let n = 0; ; n++) {
      const key = Buffer.alloc(length, 0x78);
      for (let k = 0, v = n; k < 4; k++, v = Math.floor(v / 94)) key[at + k] = 0x21 + (v % 94);
      const hash = asciiKeyHash(key, view(key), 0, length);
      const other = seen.get(hash);
      if (other !== undefined) return [other, key];
      seen.set(hash, key);
    }
  };
  let pairs = 0;
  for (let length = 4; length <= 13; length++) {
    for (const at of new Set([0, length - 4])) {
      const [a, b] = collision(length, at);
      assert.notDeepEqual(a, b);
      const table = new InternTable(6);
      // In a larger buffer, off word alignment.
      const idOf = (key: Buffer): number => {
        const padded = Buffer.concat([Buffer.from('  ?'), key, Buffer.from('?')]);
        return table.intern(padded, view(padded), 3, 3 + key.length);
      };
      const idA = idOf(a);
      const idB = idOf(b);
      assert.notEqual(idA, idB, `${a} and ${b} (length ${length}, differing at ${at})`);
      assert.equal(idOf(a), idA);
      assert.equal(idOf(b), idB);
      assert.equal(table.nameOf(idB), b.toString('latin1'));
      pairs++;
    }
  }
  assert.equal(pairs, 19);
});
