/**
 * Parser fuzzing: hostile lines (mutated real lines, huge fields, NUL bytes, invalid UTF-8 as
 * U+FFFD, unbalanced and escaped quotes, dates at leap days and DST changes, random text) and
 * adversarial 10 KB - 1 MB lines. Fixed seed, bounded runs; `node dist/bench/fuzz.js --runs N
 * --seed S` runs the same generators for longer. (spec/laws/parseProperties.spec.ts has the
 * round-trip and random-string properties; they are not repeated here.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { isBlankLine, parseApacheTime, resolveFormat, type LineParser } from '../../src/parse/index.js';
import { monitor } from '../../src/engine/monitor.js';
import type { SummaryEvent } from '../../src/types.js';
import { CountingString } from '../helpers/countingString.js';
import { ADVERSARIAL_PATTERNS, FUZZ_FORMATS, calendarStamp, checkParsed, fuzzLine } from '../helpers/arbitraries.js';

const SEED = 20_260_229;
const parsers: ReadonlyArray<readonly [string, LineParser]> = FUZZ_FORMATS.map((f) => [f, resolveFormat(f)]);

test('hostile lines never throw: each is a record or an invalid line, with sane fields, the same on every parse', () => {
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(fuzzLine, fuzzLine, ({ kind, line }, other) => {
      for (const [format, parse] of parsers) {
        const first = parse(line);
        checkParsed(line, first);
        parse(other.line); // moves the per-second time cache elsewhere
        assert.deepEqual(parse(line), first, `${format}: same result on a second parse`);
        seen.set(`${kind} ${first.type}`, (seen.get(`${kind} ${first.type}`) ?? 0) + 1);
      }
    }),
    { seed: SEED, numRuns: 1000 },
  );
  // Every generator produced both outcomes (in some format), or the fuzzing is blind on one side.
  for (const kind of ['mutated', 'nul bytes', 'replacement chars', 'unbalanced quotes', 'escaped quotes', 'calendar']) {
    assert.ok((seen.get(`${kind} record`) ?? 0) > 0 && (seen.get(`${kind} invalid`) ?? 0) > 0, `${kind}: ${JSON.stringify([...seen])}`);
  }
});

test('the engine accounts for every non-blank hostile line exactly once', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fuzzLine, { maxLength: 60 }), async (items) => {
      const lines = items.map((i) => i.line);
      // Windows of 10 000 years: lines dated anywhere from 1900 to 9999 make a handful of them.
      const year = 365.25 * 86_400_000;
      const events = await lastValueFrom(
        monitor(from(lines), { interval: 10_000 * year, alertWindow: 10_000 * year, lateness: 1e6 * year }).pipe(toArray()),
      );
      const summary = events.at(-1) as SummaryEvent;
      const nonBlank = lines.filter((l) => !isBlankLine(l)).length;
      assert.equal(summary.lines, nonBlank);
      assert.equal(summary.parsed + summary.invalid, nonBlank);
      const auto = resolveFormat('auto');
      assert.equal(summary.invalid, lines.filter((l) => !isBlankLine(l) && auto(l).type === 'invalid').length);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('dates at leap days and DST changes, any offset: the instant Date.UTC gives, or an invalid line', () => {
  const combined = resolveFormat('combined');
  const auto = resolveFormat('auto');
  let valid = 0;
  let invalid = 0;
  fc.assert(
    fc.property(calendarStamp, ({ text, expected }) => {
      assert.equal(parseApacheTime(text), expected, text);
      assert.equal(parseApacheTime(`[${text}]`), expected, text);
      const line = `192.0.2.1 - - [${text}] "GET / HTTP/1.1" 200 1 "-" "-"`;
      for (const parse of [combined, auto]) {
        const parsed = parse(line);
        if (expected === undefined)
          assert.deepEqual([parsed.type, parsed.type === 'invalid' && parsed.reason], ['invalid', 'bad_time'], text);
        else assert.equal(parsed.type === 'record' && parsed.time, expected, text);
      }
      if (expected === undefined) invalid++;
      else valid++;
    }),
    { seed: SEED, numRuns: 3000 },
  );
  assert.ok(valid > 300 && invalid > 300, `both outcomes covered (${valid} valid, ${invalid} invalid)`);
});

test('1 MB lines of adversarial content are classified without throwing', () => {
  for (const [name, make] of ADVERSARIAL_PATTERNS) {
    const line = make(1 << 20);
    for (const [format, parse] of parsers) assert.doesNotThrow(() => checkParsed(line, parse(line)), `${name} / ${format}`);
  }
});

/** Characters the parser looks at to parse `line` (see CountingString), checking it parses the same as the plain string. */
function scannedChars(parse: LineParser, line: string): number {
  const counted = new CountingString(line);
  const result = parse(counted as unknown as string);
  assert.equal(JSON.stringify(result), JSON.stringify(parse(line)), 'the counting line parses like the plain one');
  return counted.scanned;
}

test('parsing takes linear time: characters scanned per character stay flat from 1 KB to 10 KB to 100 KB lines', (t) => {
  // Work, not time: a quadratic scan looks at 10x more per character at each step; a linear
  // one at the same (a couple of passes at most), however busy the machine is.
  const SIZES = [1_000, 10_000, 100_000];
  const report: string[] = [];
  for (const [name, make] of ADVERSARIAL_PATTERNS) {
    const lines = SIZES.map((n) => make(n));
    for (const [format, parse] of parsers) {
      const perChar = lines.map((line) => scannedChars(parse, line) / line.length);
      const growth = (perChar[2] as number) / Math.max(perChar[0] as number, 1e-9);
      assert.ok(
        perChar.every((c) => c <= 4),
        `${name} with ${format}: at most 4 characters scanned per character, got ${perChar.map((c) => c.toFixed(2)).join(' -> ')}`,
      );
      assert.ok(
        perChar[0] === 0 || growth <= 1.5,
        `${name} with ${format}: per-character work grows ${growth.toFixed(2)}x from 1 KB to 100 KB`,
      );
      report.push(`${name} / ${format}: ${perChar.map((c) => c.toFixed(2)).join(' ')}`);
    }
  }
  t.diagnostic(`characters scanned per character: ${report.join('; ')}`);
});

test('the work count would catch a quadratic scan', () => {
  // A deliberately quadratic "parser": from each quote, looks for the next one from the start.
  const quadratic: LineParser = (line) => {
    let quotes = 0;
    for (let at = line.indexOf('"'); at >= 0; at = line.indexOf('"', at + 1)) {
      quotes++;
      for (let back = 0; back < at; back++) line.charCodeAt(back);
    }
    return { type: 'invalid', line: line.slice(0, 16 + (quotes % 2)), reason: 'no_match' } as ReturnType<LineParser>;
  };
  const [small, big] = [300, 3_000].map((n) => scannedChars(quadratic, '" ['.repeat(n / 3)) / n);
  assert.ok((big as number) / (small as number) > 5, `quadratic work shows: ${small} -> ${big} per character`);
});
