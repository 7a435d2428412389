import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileByteScan } from '../../src/parse/compileByteScan.js';
import { tokenizeLogFormat } from '../../src/parse/formatTokens.js';
import { buildPlan, type Plan } from '../../src/parse/plan.js';
import { scanLine } from '../../src/parse/scan.js';

/** Field values, including ones holding the literals that end fields (quotes, escapes, spaces, brackets). */
const VALUES = [
  '1.2.3.4',
  '-',
  '',
  '200',
  '512',
  'GET /a?b=1 HTTP/1.1',
  '[10/Oct/2026:13:55:36 +0000]',
  '10/Oct/2026:13:55:36 +0000',
  'a b',
  'x\\"y',
  'x\\\\"',
  '[x]',
  '|',
  '0.004',
  '/p?q=1',
  'a rt=b',
];

/**
 * A LogFormat from pieces (fields after ASCII literals, some quoted, a trailing literal) and a
 * line written from the same pieces with values that may or may not fit, then maybe mutated
 * at one place, so that many lines match and many nearly do.
 */
const caseArb = fc
  .record({
    pieces: fc.array(
      fc.tuple(
        fc.constantFrom('', ' ', ' "', '" ', '" "', '|', ' [', '] ', ' rt=', '"', ' - ', '::'),
        fc.constantFrom('%h', '%a', '%t', '%r', '%>s', '%s', '%b', '%O', '%U%q', '%m', '%D', '%T', '%{Referer}i', '%u', '%l'),
        fc.constantFrom(...VALUES),
      ),
      { minLength: 1, maxLength: 8 },
    ),
    tail: fc.constantFrom('', '"', ' end', ']'),
    extra: fc.constantFrom('', '', ' ', ' x', '"'),
    mutation: fc.option(fc.tuple(fc.nat(200), fc.constantFrom('', ' ', '"', '\\', '[', ']', '|', '?', 'r')), { freq: 3 }),
  })
  .map(({ pieces, tail, extra, mutation }) => {
    let format = '';
    let line = '';
    pieces.forEach(([lead, field, value], i) => {
      const literal = lead === '' && i > 0 ? ' ' : lead; // adjacent fields need a literal between them
      format += literal + field;
      line += literal + value;
    });
    if (!/%t/.test(format)) [format, line] = [`${format} %t`, `${line} [10/Oct/2026:13:55:36 +0000]`];
    if (!/%>?s/.test(format)) [format, line] = [`${format} %>s`, `${line} 200`];
    format += tail;
    line += tail + extra;
    if (mutation !== null) {
      const [at, ch] = mutation;
      const i = at % (line.length + 1);
      line = line.slice(0, i) + ch + line.slice(i + (ch === '' ? 1 : 0));
    }
    return { format, line };
  });

function slots(plan: Plan, starts: Int32Array, ends: Int32Array): number[] {
  return Array.from({ length: plan.slots }, (_, s) => [starts[s] as number, ends[s] as number]).flat();
}

test('compiled byte scan: property: on ASCII lines it finds what scanLine finds, slot for slot', () => {
  let matched = 0;
  fc.assert(
    fc.property(caseArb, fc.boolean(), ({ format, line }, trailing) => {
      let plan: Plan;
      try {
        plan = buildPlan(tokenizeLogFormat(format), trailing);
      } catch {
        return; // a format the plan rejects has no scanner
      }
      const size = plan.slots + 1;
      const [s1, e1, s2, e2] = [new Int32Array(size), new Int32Array(size), new Int32Array(size), new Int32Array(size)];
      const expected = scanLine(plan, line, line.length, s1, e1);
      // The line inside a larger buffer, as in a chunk: searches must stop at `end`.
      const bytes = Buffer.from(`xx${line}" ] |\n`, 'latin1');
      const got = compileByteScan(plan)(bytes, 2, 2 + line.length, s2, e2);
      assert.equal(got, expected, `${JSON.stringify(line)} (${format}, trailing ${trailing})`);
      if (!expected) return;
      matched++;
      assert.deepStrictEqual(
        slots(plan, s2, e2).map((x) => x - 2),
        slots(plan, s1, e1),
        `${JSON.stringify(line)} (${format})`,
      );
    }),
    { seed: 9091, numRuns: 20000 },
  );
  assert.ok(matched > 2000, `only ${matched} lines matched their format`);
});

test('compiled byte scan: a combined line, and the same line cut short or with a stray quote', () => {
  const plan = buildPlan(tokenizeLogFormat('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'), false);
  const scan = compileByteScan(plan);
  const line = '1.2.3.4 - - [10/Oct/2026:13:55:36 +0000] "GET /a HTTP/1.1" 200 512 "-" "curl/8"';
  const starts = new Int32Array(plan.slots + 1);
  const ends = new Int32Array(plan.slots + 1);
  const b = Buffer.from(line, 'latin1');
  assert.equal(scan(b, 0, b.length, starts, ends), true);
  assert.equal(line.slice(starts[plan.request], ends[plan.request]), 'GET /a HTTP/1.1');
  assert.equal(line.slice(starts[plan.status], ends[plan.status]), '200');
  assert.equal(scan(b, 0, b.length - 1, starts, ends), false, 'no closing quote');
  const stray = Buffer.from(`${line.slice(0, -2)}"x"`, 'latin1');
  assert.equal(scan(stray, 0, stray.length, starts, ends), false, 'text after the last field');
});
