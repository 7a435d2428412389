import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { describe, it } from 'node:test';
import { DEFAULTS, generateLog, type GenerateOptions } from '../../bench/generateLog.js';
import { inspectLog } from '../../bench/inspectLog.js';
import { Random } from '../../bench/prng.js';
import { checkSample, SAMPLE_OPTIONS } from '../../bench/sampleOptions.js';
import { writeLog } from '../../bench/writeLog.js';

// A strict shape for what the generator writes, independent of bench/inspectLog.ts.
const IP = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3}::[0-9a-f]{1,4})`;
const TIME = String.raw`\[(\d{2})/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\]`;
const REQUEST = String.raw`"(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /[^\s"]* HTTP/(?:1\.0|1\.1|2\.0)" [1-5]\d\d (?:-|[1-9]\d*)`;
const COMMON = new RegExp(`^${IP} - (?:-|[a-z][a-z-]*) ${TIME} ${REQUEST}$`);
const COMBINED = new RegExp(String.raw`^${IP} - (?:-|[a-z][a-z-]*) ${TIME} ${REQUEST} "(?:-|https?://[^\s"]+)" "[^"]+"$`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Event time in seconds of a well-formed Combined line, or undefined. */
function timeOf(line: string): number | undefined {
  const m = COMBINED.exec(line);
  if (!m) return undefined;
  const [day, year, hh, mm, ss, zh, zm] = [m[1], m[3], m[4], m[5], m[6], m[8], m[9]].map(Number);
  const local = Date.UTC(year!, MONTHS.indexOf(m[2]!), day!, hh!, mm!, ss!) / 1000;
  const offset = (zh! * 60 + zm!) * 60;
  return m[7] === '-' ? local + offset : local - offset;
}

const take = (options: GenerateOptions): string[] => [...generateLog(options)];

/** How far each well-formed line is behind the latest time seen before it (seconds). */
function lags(lines: readonly string[]): number[] {
  let latest = Number.NEGATIVE_INFINITY;
  const result: number[] = [];
  for (const line of lines) {
    const time = timeOf(line);
    if (time === undefined) continue;
    result.push(Math.max(0, latest - time));
    latest = Math.max(latest, time);
  }
  return result;
}

describe('generateLog', () => {
  it('gives byte-identical output for the same seed', () => {
    const a = take({ lines: 20_000, seed: 42 }).join('\n');
    const b = take({ lines: 20_000, seed: 42 }).join('\n');
    assert.equal(a, b);
  });

  it('gives different output for a different seed', () => {
    const a = take({ lines: 2_000, seed: 42 });
    const b = take({ lines: 2_000, seed: 43 });
    const same = a.filter((line, i) => line === b[i]).length;
    assert.ok(same < 20, `${same} identical lines`);
  });

  it('honours the requested line count', () => {
    for (const lines of [0, 1, 2, 999, 25_000]) {
      assert.equal(take({ lines, seed: 1 }).length, lines);
    }
  });

  it('a longer log starts with the shorter one', () => {
    const short = take({ lines: 1_000, seed: 9 });
    const long = take({ lines: 5_000, seed: 9 });
    assert.deepEqual(long.slice(0, 1_000), short);
  });

  it('with phases stops at the end of the last phase, or earlier at `lines`', () => {
    const phases = [
      { seconds: 60, rate: 10 },
      { seconds: 60, rate: 0 },
      { seconds: 60, rate: 5 },
    ];
    const all = take({ lines: 100_000, seed: 3, phases, disorder: 0, malformed: 0 });
    assert.ok(all.length > 700 && all.length < 1_100, `${all.length} lines`);
    const times = all.map((line) => timeOf(line)!);
    const start = DEFAULTS.start / 1000;
    assert.ok(times.every((t) => t >= start && t < start + 180));
    assert.ok(!times.some((t) => t >= start + 60 && t < start + 120), 'the quiet phase has no lines');
    assert.equal(take({ lines: 100, seed: 3, phases }).length, 100);
  });

  it('writes well-formed Combined lines only, when malformed is 0', () => {
    const lines = take({ lines: 50_000, seed: 5, malformed: 0 });
    const bad = lines.filter((line) => !COMBINED.test(line));
    assert.deepEqual(bad.slice(0, 5), []);
  });

  it('writes Common lines on request', () => {
    const lines = take({ lines: 20_000, seed: 5, malformed: 0, common: 0.3 });
    const common = lines.filter((line) => COMMON.test(line)).length;
    const combined = lines.filter((line) => COMBINED.test(line)).length;
    assert.equal(common + combined, lines.length);
    assert.ok(common > 0.25 * lines.length && common < 0.35 * lines.length, `${common} Common lines`);
  });

  it('keeps malformed lines near the default rate of 1e-4, none of them blank', () => {
    const lines = take({ lines: 100_000, seed: 42 });
    const malformed = lines.filter((line) => !COMBINED.test(line));
    assert.ok(malformed.length >= 2 && malformed.length <= 30, `${malformed.length} malformed lines`);
    assert.ok(malformed.every((line) => line.trim() !== '' && !line.includes('\n')));
  });

  it('shifts about 1% of lines back by 1-8 s and (almost) none by more', () => {
    const lagged = lags(take({ lines: 100_000, seed: 42 }));
    const behind = lagged.filter((lag) => lag > 0).length;
    assert.ok(behind > 0.007 * lagged.length && behind < 0.013 * lagged.length, `${behind} lines out of order`);
    assert.ok(lagged.filter((lag) => lag > 8).length <= 10);
    assert.ok(lagged.every((lag) => lag <= 60));
  });

  it('makes `late` lines 30-60 s late at the requested rate', () => {
    const lagged = lags(take({ lines: 100_000, seed: 42, late: 0.001, malformed: 0 }));
    const late = lagged.filter((lag) => lag > 8);
    assert.ok(late.length > 60 && late.length < 150, `${late.length} late lines`);
    assert.ok(late.every((lag) => lag <= 60));
    assert.ok(late.filter((lag) => lag > 20).length > 0.9 * late.length);
  });

  it('writes `altZone` lines in +0200 for the same instants', () => {
    const lines = take({ lines: 5_000, seed: 8, altZone: 0.5, disorder: 0, malformed: 0 });
    const shifted = lines.filter((line) => line.includes(' +0200] ')).length;
    assert.ok(shifted > 2_000 && shifted < 3_000, `${shifted} lines in +0200`);
    const times = lines.map((line) => timeOf(line)!);
    assert.ok(
      times.every((t, i) => i === 0 || t >= times[i - 1]!),
      'instants stay in order',
    );
  });

  it('starts at `start` and averages a realistic rate with bursts and quiet spells', () => {
    const lines = take({ lines: 150_000, seed: 42, malformed: 0 });
    const profile = inspectLog(lines, { alertWindow: 60, alertRate: 25 });
    assert.ok(profile.first - DEFAULTS.start / 1000 < 5);
    const rate = lines.length / (profile.last - profile.first);
    assert.ok(rate > 4 && rate < 12, `${rate} req/s`);
    assert.ok(profile.alertFires >= 1, 'some minute above 25 req/s');
    assert.ok(profile.longestGap >= 120, `longest gap ${profile.longestGap} s`);
  });

  it('rejects invalid options before the first line is asked for', () => {
    assert.throws(() => generateLog({ lines: -1, seed: 1 }), RangeError);
    assert.throws(() => generateLog({ lines: 1.5, seed: 1 }), RangeError);
    assert.throws(() => generateLog({ lines: 1, seed: 0.5 }), RangeError);
    assert.throws(() => generateLog({ lines: 1, seed: 1, malformed: 2 }), RangeError);
    assert.throws(() => generateLog({ lines: 1, seed: 1, rate: 0 }), RangeError);
    assert.throws(() => generateLog({ lines: 1, seed: 1, clients: 0 }), RangeError);
    assert.throws(() => generateLog({ lines: 1, seed: 1, phases: [{ seconds: -1, rate: 1 }] }), RangeError);
  });
});

describe('writeLog', () => {
  it('writes exactly the generated lines, each terminated by a newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apachescan-bench-'));
    try {
      const options = { lines: 30_000, seed: 11 };
      const path = join(dir, 'x.log');
      const result = await writeLog(path, options, 64 * 1024);
      const text = await readFile(path, 'utf8');
      assert.equal(text, `${take(options).join('\n')}\n`);
      assert.deepEqual(result, { lines: 30_000, bytes: Buffer.byteLength(text) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('samples/access.log', () => {
  it('is reproduced byte for byte by SAMPLE_OPTIONS and has what the demo needs', async () => {
    const text = await readFile(join(ROOT, 'samples/access.log'), 'utf8');
    const lines = take(SAMPLE_OPTIONS);
    assert.equal(text, `${lines.join('\n')}\n`);
    assert.deepEqual(checkSample(inspectLog(lines), Buffer.byteLength(text)), []);
  });
});

describe('Random', () => {
  it('repeats per seed and stream, and differs across them', () => {
    const draw = (seed: number, stream?: number): number[] => {
      const random = new Random(seed, stream);
      return Array.from({ length: 5 }, () => random.next());
    };
    assert.deepEqual(draw(1), draw(1));
    assert.notDeepEqual(draw(1), draw(2));
    assert.notDeepEqual(draw(1, 0), draw(1, 1));
    assert.notDeepEqual(draw(2 ** 40), draw(2 ** 40 + 2 ** 32));
  });

  it('is roughly uniform', () => {
    const random = new Random(123);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[random.below(10)]!++;
    assert.ok(
      buckets.every((n) => n > 9_500 && n < 10_500),
      buckets.join(' '),
    );
  });
});
