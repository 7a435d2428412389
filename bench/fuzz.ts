/**
 * The parser fuzzers of spec/laws/fuzzParser.spec.ts, run for longer:
 *
 *   node dist/bench/fuzz.js [--runs N] [--seed S]
 *
 * - hostile lines (mutated real lines, huge fields, NUL, U+FFFD, quotes, leap/DST dates,
 *   random text) through every format: never a throw, always a record or an invalid line with
 *   sane fields, the same result when parsed again;
 * - `%t` texts around leap days and DST changes against `Date.UTC`;
 * - the engine's accounting: every non-blank line counted once;
 * - per-character parse time of adversarial lines from 10 KB to 4 MB.
 *
 * Prints the seed (default: the clock; pass it back with --seed to replay), counts per
 * generator and outcome, and the time table. Exit code 1 on any failure, with fast-check's
 * counterexample, seed and path.
 */
import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { isBlankLine, parseApacheTime, resolveFormat, type LineParser } from '../src/parse/index.js';
import { monitor } from '../src/engine/monitor.js';
import type { SummaryEvent } from '../src/types.js';
import { ADVERSARIAL_PATTERNS, FUZZ_FORMATS, calendarStamp, checkParsed, fuzzLine } from '../spec/helpers/arbitraries.js';

interface Args {
  readonly runs: number;
  readonly seed: number;
}

function parseArgs(argv: readonly string[]): Args {
  let runs = 100_000;
  let seed = Date.now() % 2_147_483_647;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = Number(argv[i + 1]);
    if (arg === '--runs' && Number.isSafeInteger(value) && value > 0) {
      runs = value;
      i++;
    } else if (arg === '--seed' && Number.isSafeInteger(value)) {
      seed = value;
      i++;
    } else {
      process.stderr.write(`usage: node dist/bench/fuzz.js [--runs N] [--seed S]\n(bad argument: ${arg})\n`);
      process.exit(2);
    }
  }
  return { runs, seed };
}

const parsers: ReadonlyArray<readonly [string, LineParser]> = FUZZ_FORMATS.map((f) => [f, resolveFormat(f)]);

/** Runs a property; prints and records a failure. */
async function check<T>(name: string, property: fc.IProperty<T> | fc.IAsyncProperty<T>, numRuns: number, seed: number): Promise<boolean> {
  const started = performance.now();
  const details = await fc.check(property, { numRuns, seed });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!details.failed) {
    console.log(`ok   ${name}: ${details.numRuns} runs in ${seconds} s`);
    return true;
  }
  console.log(`FAIL ${name} after ${details.numRuns} runs (${seconds} s)`);
  console.log(`     counterexample: ${fc.stringify(details.counterexample)}`);
  console.log(`     replay: { seed: ${details.seed}, path: "${details.counterexamplePath}" }`);
  console.log(`     ${String(details.errorInstance).split('\n').slice(0, 6).join('\n     ')}`);
  return false;
}

async function main(): Promise<number> {
  const { runs, seed } = parseArgs(process.argv.slice(2));
  console.log(`apachescan parser fuzz: --runs ${runs} --seed ${seed}`);
  const counts = new Map<string, number>();
  const count = (key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);
  let ok = true;

  ok =
    (await check(
      'hostile lines, every format',
      fc.property(fuzzLine, fuzzLine, ({ kind, line }, other) => {
        for (const [format, parse] of parsers) {
          const first = parse(line);
          checkParsed(line, first);
          parse(other.line);
          const again = parse(line);
          if (JSON.stringify(again) !== JSON.stringify(first)) throw new Error(`${format}: a second parse differs`);
          if (format === 'auto') count(`${kind.padEnd(18)} ${first.type === 'record' ? 'record' : `invalid (${first.reason})`}`);
        }
      }),
      runs,
      seed,
    )) && ok;

  let realDates = 0;
  ok =
    (await check(
      'leap-day and DST timestamps vs Date.UTC',
      fc.property(calendarStamp, ({ text, expected }) => {
        const got = parseApacheTime(text);
        if (got !== expected) throw new Error(`${text}: parsed ${got}, Date.UTC says ${expected}`);
        if (expected !== undefined) realDates++;
      }),
      runs * 5,
      seed,
    )) && ok;

  const year = 365.25 * 86_400_000;
  ok =
    (await check(
      'engine accounts for every non-blank line once',
      fc.asyncProperty(fc.array(fuzzLine, { maxLength: 60 }), async (items) => {
        const lines = items.map((i) => i.line);
        const events = await lastValueFrom(
          monitor(from(lines), { interval: 10_000 * year, alertWindow: 10_000 * year, lateness: 1e6 * year }).pipe(toArray()),
        );
        const summary = events.at(-1) as SummaryEvent;
        const nonBlank = lines.filter((l) => !isBlankLine(l)).length;
        if (summary.lines !== nonBlank || summary.parsed + summary.invalid !== nonBlank) {
          throw new Error(`summary ${JSON.stringify(summary)} for ${nonBlank} non-blank lines`);
        }
      }),
      Math.max(1, Math.floor(runs / 20)),
      seed,
    )) && ok;

  console.log(`\nauto format outcomes per generator (${runs} lines):`);
  for (const [key, n] of [...counts].sort()) console.log(`  ${key.padEnd(60)} ${String(n).padStart(8)}`);
  console.log(`calendar: ${realDates} real times of ${runs * 5}`);

  console.log('\nparse time, best of 5, ns per character (10 KB / 100 KB / 1 MB / 4 MB):');
  const sizes = [10_000, 100_000, 1_000_000, 4_000_000];
  for (const [name, make] of ADVERSARIAL_PATTERNS) {
    const lines = sizes.map((n) => make(n));
    for (const [format, parse] of parsers) {
      const costs = lines.map((line) => bestNsPerChar(parse, line, 5));
      const growth = Math.max(...costs.map((c) => Math.max(c, 1))) / Math.max(costs[0] as number, 1);
      const flag = growth > 5 ? '  FAIL: grows more than 5x' : '';
      if (flag !== '') ok = false;
      console.log(`  ${`${name} / ${format}`.padEnd(80)} ${costs.map((c) => c.toFixed(2).padStart(7)).join(' ')}${flag}`);
    }
  }
  console.log(ok ? '\nall fuzz properties held' : '\nFAILED (see above)');
  return ok ? 0 : 1;
}

/** Best of `rounds` rounds of parsing about 4 MB (`line` repeated), ns per character. */
function bestNsPerChar(parse: LineParser, line: string, rounds: number): number {
  const reps = Math.max(1, Math.round(4_000_000 / line.length));
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) parse(line);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return best / (reps * line.length);
}

process.exitCode = await main();
