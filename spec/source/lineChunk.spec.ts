/**
 * ChunkSplitter, the one line splitter (src/source/lineChunk.ts): the line semantics every
 * source shares, checked against a per-line reference and under any chunking of the bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHUNK_LINES, ChunkSplitter, DEFAULT_MAX_LINE_BYTES, LineChunk, linesOf } from '../../src/source/lineChunk.js';
import { OVERLONG_LINE, isOverlongLine } from '../../src/source/overlong.js';

interface Collected {
  lines: string[];
  overlong: number[];
  /** Offset just after each line's newline. */
  ends: number[];
  /** Offset where each emitted chunk's first line starts. */
  starts: number[];
  /** Index (in `lines`) of each emitted chunk's first line. */
  firsts: number[];
}

/** Feeds `chunks` (and, with `flush`, the end of input) to a splitter; what it emitted, and the splitter. */
function feed(chunks: readonly Buffer[], max?: number, flush = false, start = 0): Collected & { splitter: ChunkSplitter } {
  const out: Collected = { lines: [], overlong: [], ends: [], starts: [], firsts: [] };
  const splitter = new ChunkSplitter(
    (chunk, from) => {
      out.starts.push(from);
      out.firsts.push(out.lines.length);
      for (let i = 0; i < chunk.count; i++) {
        if (chunk.overlong[i] === 1) out.overlong.push(out.lines.length);
        out.lines.push(chunk.text(i));
        out.ends.push(chunk.offsets[i] as number);
      }
    },
    start,
    max,
  );
  for (const chunk of chunks) splitter.push(chunk);
  if (flush) splitter.end();
  return { ...out, splitter };
}

/** Straightforward per-line reference: split the whole input at every newline. */
function reference(bytes: Buffer, max: number, flush: boolean): Lines {
  const out = { lines: [] as string[], overlong: [] as number[], ends: [] as number[] };
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    if (nl < 0 && (!flush || start === bytes.length)) break;
    const end = nl < 0 ? bytes.length : nl;
    let raw = bytes.subarray(start, end);
    if (raw.length > 0 && raw[raw.length - 1] === 13) raw = raw.subarray(0, raw.length - 1);
    if (raw.length > max) out.overlong.push(out.lines.length);
    out.lines.push(raw.length > max ? OVERLONG_LINE : raw.toString('utf8'));
    out.ends.push(nl < 0 ? end : end + 1);
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

type Lines = Pick<Collected, 'lines' | 'overlong' | 'ends'>;
const withoutStarts = ({ lines, overlong, ends }: Collected): Lines => ({ lines, overlong, ends });

describe('ChunkSplitter', () => {
  it('splits complete lines and holds the partial one', () => {
    const r = feed([Buffer.from('a\nbb\ncc')]);
    assert.deepEqual(r.lines, ['a', 'bb']);
    assert.deepEqual(r.ends, [2, 5]);
    assert.equal(r.splitter.lineOffset, 5);
    assert.equal(r.splitter.readOffset, 7);
    const more = feed([Buffer.from('a\nbb\ncc'), Buffer.from('c\n')]);
    assert.deepEqual(more.lines, ['a', 'bb', 'ccc']);
    assert.deepEqual(more.ends, [2, 5, 9]);
    assert.deepEqual(more.starts, [0, 5], 'the carried line starts where it began, in the previous chunk');
  });

  it('strips one trailing \\r and keeps empty lines', () => {
    const r = feed([Buffer.from('x\r\n\n\r\ny\r\r\n')]);
    assert.deepEqual(r.lines, ['x', '', '', 'y\r']);
    // The \r before a newline that comes in the next chunk is stripped too.
    assert.deepEqual(feed([Buffer.from('a\r'), Buffer.from('\nb\r'), Buffer.from('\r\n')]).lines, ['a', 'b\r']);
  });

  it('decodes a multi-byte character split across chunks whole', () => {
    const bytes = Buffer.from('é€😀 ok\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const r = feed([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.deepEqual(r.lines, ['é€😀 ok'], `cut at ${cut}`);
    }
  });

  it('flags an overlong line (read as OVERLONG_LINE), holds no more than maxLineBytes + 2 bytes of it, and the next line is fine', () => {
    const long = Buffer.alloc(100 * 1024, 'x');
    const chunks = [Buffer.from('first\n'), long.subarray(0, 40000), long.subarray(40000), Buffer.from('\nnext\n')];
    const r = feed(chunks);
    assert.deepEqual(r.overlong, [1]);
    assert.deepEqual(r.lines, ['first', OVERLONG_LINE, 'next']);
    assert.deepEqual(r.ends, [6, 6 + long.length + 1, 6 + long.length + 6]);
    assert.equal(DEFAULT_MAX_LINE_BYTES, 65536);
    const held = (r.splitter as unknown as { carry: Buffer }).carry;
    assert.equal(held.length, DEFAULT_MAX_LINE_BYTES + 2, 'the carry buffer is bounded');
    // An overlong line inside one chunk: an empty range, flagged.
    const inside = new LineChunk();
    new ChunkSplitter((chunk) => linesOf(chunk, 0, chunk.count, inside), 0, 4).push(Buffer.from('abcdef\n'));
    assert.deepEqual([inside.count, inside.overlong[0], inside.starts[0], inside.ends[0]], [1, 1, 0, 0]);
  });

  it('counts maxLineBytes without the \\r\\n terminator', () => {
    const r = feed([Buffer.from('abcd\r\nabcde\r\nabc')], 4, true);
    assert.deepEqual(r.lines, ['abcd', OVERLONG_LINE, 'abc']);
    assert.deepEqual(r.overlong, [1]);
    assert.deepEqual(r.ends, [6, 13, 16]);
    // The same across chunks (the line carried): 4 bytes and \r\n fit, 5 do not.
    assert.deepEqual(feed([Buffer.from('ab'), Buffer.from('cd\r'), Buffer.from('\nabc'), Buffer.from('de\r\n')], 4).lines, [
      'abcd',
      OVERLONG_LINE,
    ]);
  });

  it('emits the unterminated last line at end of input', () => {
    const r = feed([Buffer.from('a\nlast')], undefined, true);
    assert.deepEqual(r.lines, ['a', 'last']);
    assert.deepEqual(r.ends, [2, 6]);
    assert.deepEqual(r.starts, [0, 2]);
    assert.equal(r.splitter.lineOffset, 6);
    assert.deepEqual(feed([], undefined, true).lines, []);
    assert.deepEqual(feed([Buffer.from('a\n')], undefined, true).lines, ['a'], 'nothing held: no extra line');
  });

  it('counts offsets from the start offset; reset starts over, dropping the held line', () => {
    const r = feed([Buffer.from('a\nb\n')], undefined, false, 100);
    assert.deepEqual(r.ends, [102, 104]);
    assert.deepEqual(r.starts, [100]);
    const lines: string[] = [];
    const splitter = new ChunkSplitter((chunk) => lines.push(chunk.text(0)));
    splitter.push(Buffer.from('held'));
    splitter.reset(10);
    assert.deepEqual([splitter.lineOffset, splitter.readOffset], [10, 10]);
    splitter.push(Buffer.from('x\n'));
    splitter.end();
    assert.deepEqual(lines, ['x']);
  });

  it('hands over at most CHUNK_LINES lines per chunk, each chunk starting where its first line does', () => {
    const n = CHUNK_LINES * 2 + 5;
    const r = feed([Buffer.from('ab\n'.repeat(n))]);
    assert.equal(r.lines.length, n);
    assert.deepEqual(r.starts, [0, CHUNK_LINES * 3, CHUNK_LINES * 6]);
  });

  it('tells the overlong marker apart', () => {
    assert.ok(isOverlongLine(OVERLONG_LINE) && !isOverlongLine('a'));
  });

  it('splits large chunks like the per-line reference', () => {
    const kinds = ['ascii line', 'é€😀 mixed', 'crlf\r'];
    const line = fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 3000 }), fc.boolean());
    const input = fc
      .array(line, { minLength: 50, maxLength: 300 })
      .map((ls) => Buffer.from(`${ls.map(([k, n, long]) => (long ? 'L'.repeat(40000 + n * 40) : k.repeat(1 + (n % 40)))).join('\n')}\n`));
    fc.assert(
      fc.property(input, fc.integer({ min: 1000, max: 1 << 20 }), (bytes, size) => {
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        assert.deepEqual(withoutStarts(feed(chunks, 50000)), reference(bytes, 50000, false));
      }),
      { seed: 611, numRuns: 25 },
    );
  });

  it('gives the same lines, flags, offsets and line starts for any chunking (property)', () => {
    const pieces = ['a', 'b', '\n', '\r', '\r\n', 'é', '€', '😀', 'xyz'].map((s) => Buffer.from(s));
    pieces.push(Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0x80]));
    const input = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => Buffer.concat(p));
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), (bytes, cuts, max, flush) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        const got = feed(chunks, max, flush);
        const whole = feed([bytes], max, flush);
        assert.deepEqual(withoutStarts(got), withoutStarts(whole));
        assert.deepEqual(withoutStarts(got), reference(bytes, max, flush));
        // Each chunk starts where the line before its first one ended.
        assert.deepEqual(
          got.starts,
          got.firsts.map((i) => (i === 0 ? 0 : got.ends[i - 1])),
        );
        assert.equal(got.splitter.lineOffset, got.ends.at(-1) ?? 0);
        assert.equal(got.splitter.readOffset, bytes.length);
      }),
      { seed: 20240611, numRuns: 2000 },
    );
  });
});
