import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  flushSplitter,
  initialSplitter,
  splitChunk,
  type LineBatch,
  type SplitterState,
} from '../../src/source/lineSplitter.js';
import { OVERLONG_LINE, isOverlongLine, linesWithMarkers } from '../../src/source/overlong.js';

interface Collected {
  lines: string[];
  overlong: number[];
  ends: number[];
  state: SplitterState;
}

function feed(chunks: readonly Buffer[], max?: number, flush = false, start = 0): Collected {
  let state = initialSplitter(start);
  const out: Collected = { lines: [], overlong: [], ends: [], state };
  const add = (batch: LineBatch): void => {
    for (const i of batch.overlong) out.overlong.push(out.lines.length + i);
    out.lines.push(...batch.lines);
    out.ends.push(...batch.ends);
  };
  for (const chunk of chunks) {
    const r = splitChunk(state, chunk, max);
    state = r.state;
    add(r.batch);
  }
  if (flush) {
    const r = flushSplitter(state, max);
    state = r.state;
    add(r.batch);
  }
  out.state = state;
  return out;
}

/** Straightforward per-line reference: split the whole input at every newline. */
function reference(bytes: Buffer, max: number, flush: boolean): Omit<Collected, 'state'> {
  const out = { lines: [] as string[], overlong: [] as number[], ends: [] as number[] };
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    if (nl < 0 && (!flush || start === bytes.length)) break;
    const end = nl < 0 ? bytes.length : nl;
    let raw = bytes.subarray(start, end);
    if (raw.length > 0 && raw[raw.length - 1] === 13) raw = raw.subarray(0, raw.length - 1);
    if (raw.length > max) out.overlong.push(out.lines.length);
    out.lines.push(raw.subarray(0, max).toString('utf8'));
    out.ends.push(nl < 0 ? end : end + 1);
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

describe('lineSplitter', () => {
  it('splits complete lines and holds the partial one', () => {
    const r = feed([Buffer.from('a\nbb\ncc')]);
    assert.deepEqual(r.lines, ['a', 'bb']);
    assert.deepEqual(r.ends, [2, 5]);
    assert.equal(r.state.offset, 5);
    assert.equal(r.state.partial, 2);
    const more = feed([Buffer.from('a\nbb\ncc'), Buffer.from('c\n')]);
    assert.deepEqual(more.lines, ['a', 'bb', 'ccc']);
    assert.deepEqual(more.ends, [2, 5, 9]);
  });

  it('strips one trailing \\r and keeps empty lines', () => {
    const r = feed([Buffer.from('x\r\n\n\r\ny\r\r\n')]);
    assert.deepEqual(r.lines, ['x', '', '', 'y\r']);
  });

  it('decodes a multi-byte character split across chunks whole', () => {
    const bytes = Buffer.from('é€😀 ok\n', 'utf8');
    for (let cut = 1; cut < bytes.length; cut++) {
      const r = feed([bytes.subarray(0, cut), bytes.subarray(cut)]);
      assert.deepEqual(r.lines, ['é€😀 ok'], `cut at ${cut}`);
    }
  });

  it('cuts an overlong line, flags it, drops its rest, and the next line is fine', () => {
    const long = Buffer.alloc(100 * 1024, 'x');
    const chunks = [Buffer.from('first\n'), long.subarray(0, 40000), long.subarray(40000), Buffer.from('\nnext\n')];
    const r = feed(chunks);
    assert.deepEqual(r.overlong, [1]);
    assert.equal(r.lines[1]?.length, 65536);
    assert.deepEqual([r.lines[0], r.lines[2]], ['first', 'next']);
    assert.deepEqual(r.ends, [6, 6 + long.length + 1, 6 + long.length + 6]);
    const mid = feed(chunks.slice(0, 3));
    assert.ok(mid.state.head.length <= 65537, 'holds no more than maxLineBytes + 1 bytes');
  });

  it('counts maxLineBytes without the \\r\\n terminator', () => {
    const r = feed([Buffer.from('abcd\r\nabcde\r\nabc')], 4, true);
    assert.deepEqual(r.lines, ['abcd', 'abcd', 'abc']);
    assert.deepEqual(r.overlong, [1]);
    assert.deepEqual(r.ends, [6, 13, 16]);
  });

  it('flushes the unterminated last line at end of input', () => {
    const r = feed([Buffer.from('a\nlast')], undefined, true);
    assert.deepEqual(r.lines, ['a', 'last']);
    assert.equal(r.state.offset, 6);
    assert.deepEqual(feed([], undefined, true).lines, []);
  });

  it('counts offsets from the start offset', () => {
    assert.deepEqual(feed([Buffer.from('a\nb\n')], undefined, false, 100).ends, [102, 104]);
  });

  it('marks overlong lines in the string form', () => {
    const lines = linesWithMarkers({ lines: ['a', 'xxx', 'b'], overlong: [1] });
    assert.deepEqual(lines, ['a', OVERLONG_LINE, 'b']);
    assert.ok(isOverlongLine(lines[1] ?? '') && !isOverlongLine('a'));
  });

  it('splits large chunks (decoded in windows) like the per-line reference', () => {
    const kinds = ['ascii line', 'é€😀 mixed', 'crlf\r'];
    const line = fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 3000 }), fc.boolean());
    const input = fc.array(line, { minLength: 50, maxLength: 300 }).map((ls) =>
      Buffer.from(ls.map(([k, n, long]) => (long ? 'L'.repeat(40000 + n * 40) : k.repeat(1 + (n % 40)))).join('\n') + '\n'),
    );
    fc.assert(
      fc.property(input, fc.integer({ min: 1000, max: 1 << 20 }), (bytes, size) => {
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
        const { state: _s, ...got } = feed(chunks, 50000);
        assert.deepEqual(got, reference(bytes, 50000, false));
      }),
      { seed: 611, numRuns: 25 },
    );
  });

  it('gives the same lines, flags and offsets for any chunking (property)', () => {
    const pieces = ['a', 'b', '\n', '\r', '\r\n', 'é', '€', '😀', 'xyz'].map((s) => Buffer.from(s));
    pieces.push(Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0x80]));
    const input = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => Buffer.concat(p));
    fc.assert(
      fc.property(
        input,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (bytes, cuts, max, flush) => {
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(prev, p));
            prev = p;
          }
          const got = feed(chunks, max, flush);
          const whole = feed([bytes], max, flush);
          const { state: _s, ...gotData } = got;
          const { state: _w, ...wholeData } = whole;
          assert.deepEqual(gotData, wholeData);
          assert.deepEqual(gotData, reference(bytes, max, flush));
        },
      ),
      { seed: 20240611, numRuns: 2000 },
    );
  });
});
