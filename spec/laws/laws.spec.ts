/**
 * Laws of the engine, checked with fast-check on realistic logs whose every line says what it
 * is (see `helpers/arbitraries.ts`) and random options. Fixed seed, bounded runs: the file
 * stays well under 20 s. `bench/fuzz.ts` is the place for long runs of the parser.
 *
 * The oracle below is written from the README's semantics, not from the engine's code: it
 * takes the declared fields of each line (never the parser's output), decides lateness with
 * "a record is late iff its window end <= newest time seen before it - lateness", and counts
 * the alert's hits naively over [T - alertWindow, T).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { firstValueFrom, from, lastValueFrom, take, timeout, toArray, type Observable } from 'rxjs';
import { monitor, type MonitorOptions } from '../../src/engine/monitor.js';
import { ChunkSplitter, type LineChunk } from '../../src/source/lineChunk.js';
import { tailLines } from '../../src/source/tailFile.js';
import { toLines } from '../../operators/toLines.js';
import { readLogFile, readLogStream } from '../../src/source/readLogFile.js';
import { isBlankLine, resolveFormat } from '../../src/parse/index.js';
import type { InvalidReason, MonitorEvent, SectionHits, StatsEvent, SummaryEvent } from '../../src/types.js';
import {
  caseBytes,
  cutAt,
  cutPoints,
  cuts,
  logCase,
  monitorOptions,
  recordsOf,
  withLines,
  type LogCase,
  type LogLine,
  type RecordLine,
} from '../helpers/arbitraries.js';

const SEED = 20_261_125;
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

const dir = mkdtempSync(join(tmpdir(), 'apachescan-laws-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

type Options = MonitorOptions & { interval: number; lateness: number; alertWindow: number; threshold: number; top: number };

function run(lines$: Observable<string | LineChunk>, options: MonitorOptions): Promise<MonitorEvent[]> {
  return lastValueFrom(monitor(lines$, options).pipe(toArray()));
}

/** The reference reading: the whole text decoded at once and split on `\n`. */
function referenceLines(bytes: Buffer): string[] {
  return bytes.toString('utf8').split('\n');
}

/** The line splitter (what every file, stream and tailer reader uses), fed `chunks` one by one. */
function splitterLines(chunks: readonly Buffer[]): string[] {
  const lines: string[] = [];
  const splitter = new ChunkSplitter((chunk) => {
    for (let i = 0; i < chunk.count; i++) lines.push(chunk.text(i));
  });
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

function writeCase(bytes: Buffer): string {
  const path = join(dir, `case-${files++}.log`);
  writeFileSync(path, bytes);
  return path;
}

const ofType = <T extends MonitorEvent['type']>(events: readonly MonitorEvent[], type: T) =>
  events.filter((e): e is Extract<MonitorEvent, { type: T }> => e.type === type);

// --- the oracle ---------------------------------------------------------------------------------

/** What the engine must emit for `c` under `o`, from the declared fields of the lines. */
function expectedEvents(c: Pick<LogCase, 'lines'>, o: Options): MonitorEvent[] {
  const { interval: I, lateness: L, alertWindow: W, threshold, top } = o;
  const recover = o.recoverThreshold ?? threshold;
  // Arrival order: every non-blank line, and the watermark after it.
  const arrivals: Array<'invalid' | 'late' | 'counted'> = [];
  const reasonAt: Array<InvalidReason | undefined> = [];
  const watermarkAfter: number[] = [];
  const counted: RecordLine[] = [];
  let newest = -Infinity;
  for (const line of c.lines) {
    if (line.kind === 'blank') continue;
    reasonAt.push(line.kind === 'invalid' ? line.reason : undefined);
    if (line.kind === 'invalid') arrivals.push('invalid');
    else if (Math.floor(line.time / I) * I + I <= newest - L) arrivals.push('late');
    else {
      arrivals.push('counted');
      counted.push(line);
      newest = Math.max(newest, line.time);
    }
    watermarkAfter.push(newest - L);
  }
  const events: MonitorEvent[] = [];
  if (counted.length > 0) {
    const times = counted.map((r) => r.time);
    const first = Math.floor(Math.min(...times) / I) * I;
    const last = Math.floor(Math.max(...times) / I) * I;
    let reported = 0; // arrivals before this index are in an earlier stats event
    let closer = 0; // the arrival that closes the current window (arrivals.length: the end of input)
    let firing = false;
    for (let start = first; start <= last; start += I) {
      const end = start + I;
      while (closer < arrivals.length && (watermarkAfter[closer] as number) < end) closer++;
      let invalid = 0;
      let late = 0;
      const reasons: Array<InvalidReason | undefined> = [];
      for (let k = reported; k < closer; k++) {
        if (arrivals[k] === 'invalid') invalid++;
        else if (arrivals[k] === 'late') late++;
        reasons.push(reasonAt[k]);
      }
      reported = Math.max(reported, closer);
      const stats = windowStats(
        start,
        end,
        counted.filter((r) => r.time >= start && r.time < end),
        top,
        invalid,
        late,
      );
      events.push(invalid > 0 ? { ...stats, invalidReasons: reasonCounts(reasons) } : stats);
      const hits = counted.filter((r) => r.time >= end - W && r.time < end).length;
      const rate = hits / (W / 1000);
      if (!firing && rate > threshold) {
        firing = true;
        events.push({ type: 'alert', state: 'firing', at: end, hits, rate, threshold });
      } else if (firing && rate <= recover) {
        firing = false;
        events.push({ type: 'alert', state: 'recovered', at: end, hits, rate, threshold: recover });
      }
    }
  }
  const count = (kind: string) => arrivals.filter((a) => a === kind).length;
  const summary: MonitorEvent = {
    type: 'summary',
    lines: arrivals.length,
    parsed: count('counted') + count('late'),
    invalid: count('invalid'),
    late: count('late'),
  };
  events.push(count('invalid') > 0 ? { ...summary, invalidReasons: reasonCounts(reasonAt) } : summary);
  return events;
}

/** Lines per reason, keys in the documented order (README, NDJSON events). */
function reasonCounts(reasons: ReadonlyArray<InvalidReason | undefined>): Partial<Record<InvalidReason, number>> {
  const order: InvalidReason[] = ['no_match', 'bad_time', 'bad_status', 'bad_bytes', 'future_time', 'overlong'];
  const out: Partial<Record<InvalidReason, number>> = {};
  for (const reason of order) {
    const n = reasons.filter((r) => r === reason).length;
    if (n > 0) out[reason] = n;
  }
  return out;
}

function windowStats(start: number, end: number, records: readonly RecordLine[], top: number, invalid: number, late: number): StatsEvent {
  const sections = new Map<string, number>();
  const status: Record<string, number> = {};
  for (const r of records) {
    sections.set(r.section, (sections.get(r.section) ?? 0) + 1);
    const cls = `${String(r.status)[0]}xx`;
    status[cls] = (status[cls] ?? 0) + 1;
  }
  const ranked: SectionHits[] = [...sections].map(([name, hits]) => ({ name, hits }));
  ranked.sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : 1));
  return {
    type: 'stats',
    start,
    end,
    hits: records.length,
    bytes: records.reduce((n, r) => n + r.bytes, 0),
    hosts: new Set(records.map((r) => r.host)).size,
    sections: ranked.slice(0, top),
    status,
    invalid,
    late,
  };
}

// --- laws ----------------------------------------------------------------------------------------

test('the arbitrary is honest: every line parses as what it declares', () => {
  const auto = resolveFormat('auto');
  fc.assert(
    fc.property(logCase(), (c) => {
      for (const line of c.lines) {
        const text = line.raw.toString('utf8');
        if (line.kind === 'blank') assert.ok(isBlankLine(text));
        else {
          const parsed = auto(text);
          if (line.kind === 'invalid')
            assert.deepEqual([parsed.type, parsed.type === 'invalid' && parsed.reason], ['invalid', line.reason], `${line.why}: ${text}`);
          else {
            assert.equal(parsed.type, 'record', text);
            if (parsed.type === 'record') {
              const { time, host, section, status, bytes } = parsed;
              assert.deepEqual(
                { time, host, section, status, bytes },
                { time: line.time, host: line.host, section: line.section, status: line.status, bytes: line.bytes },
              );
            }
          }
        }
      }
    }),
    runs(200),
  );
});

test('oracle: the events are exactly those the README semantics predict, for any log and options', async () => {
  await fc.assert(
    fc.asyncProperty(logCase(), monitorOptions, async (c, o) => {
      const events = await run(from(referenceLines(caseBytes(c))), o);
      assert.deepEqual(events, expectedEvents(c, o));
    }),
    runs(300),
  );
});

test('the summary balances and the windows tile event time', async () => {
  await fc.assert(
    fc.asyncProperty(logCase(), monitorOptions, async (c, o) => {
      const events = await run(from(referenceLines(caseBytes(c))), o);
      const summary = events.at(-1) as SummaryEvent;
      assert.equal(summary.type, 'summary');
      assert.equal(events.filter((e) => e.type === 'summary').length, 1);
      assert.equal(summary.lines, c.lines.filter((l) => l.kind !== 'blank').length, 'every non-blank line is counted once');
      assert.equal(summary.lines, summary.parsed + summary.invalid);
      assert.equal(summary.invalid, c.lines.filter((l) => l.kind === 'invalid').length);
      const stats = ofType(events, 'stats');
      const sum = (f: (s: StatsEvent) => number) => stats.reduce((n, s) => n + f(s), 0);
      assert.equal(sum((s) => s.hits) + summary.late, summary.parsed, 'a parsed line is in exactly one window, or late');
      assert.ok(sum((s) => s.invalid) <= summary.invalid);
      assert.ok(sum((s) => s.late) <= summary.late);
      stats.forEach((s, i) => {
        assert.equal(s.end - s.start, o.interval);
        assert.equal(((s.start % o.interval) + o.interval) % o.interval, 0, 'aligned to the epoch');
        if (i > 0) assert.equal(s.start, (stats[i - 1] as StatsEvent).end, 'contiguous and in order');
      });
    }),
    runs(200),
  );
});

test('the alert alternates firing/recovered, and each transition counts the lines of [T - alertWindow, T)', async () => {
  let transitions = 0;
  await fc.assert(
    fc.asyncProperty(logCase(), monitorOptions, async (c, o) => {
      const events = await run(from(referenceLines(caseBytes(c))), o);
      const alerts = ofType(events, 'alert');
      for (const [i, a] of alerts.entries())
        assert.equal(a.state, i % 2 === 0 ? 'firing' : 'recovered', 'never fires twice without a recovery between');
      // The lines the engine counted: every record except the late ones (found by the oracle).
      const counted = countedRecords(c, o);
      for (const a of alerts) {
        transitions++;
        const naive = counted.filter((r) => r.time >= a.at - o.alertWindow && r.time < a.at).length;
        assert.equal(a.hits, naive);
        assert.equal(a.rate, naive / (o.alertWindow / 1000));
        assert.ok(a.state === 'firing' ? a.rate > o.threshold : a.rate <= (o.recoverThreshold ?? o.threshold));
        // Each alert follows the stats event of the window that ends at T.
        const before = events[events.indexOf(a) - 1];
        assert.ok(before?.type === 'stats' && before.end === a.at);
      }
    }),
    runs(300),
  );
  assert.ok(transitions > 100, `the runs exercised the alert (${transitions} transitions)`);
});

/** Records that are not late, by the watermark rule, in arrival order. */
function countedRecords(c: Pick<LogCase, 'lines'>, o: Options): RecordLine[] {
  let newest = -Infinity;
  const counted: RecordLine[] = [];
  for (const r of recordsOf(c)) {
    if (Math.floor(r.time / o.interval) * o.interval + o.interval <= newest - o.lateness) continue;
    counted.push(r);
    newest = Math.max(newest, r.time);
  }
  return counted;
}

test('any chunking of the input bytes gives the same events (byte splitter, stream reader), cuts inside characters included', async () => {
  await fc.assert(
    fc.asyncProperty(logCase(), cuts, monitorOptions, async (c, where, o) => {
      const bytes = caseBytes(c);
      const chunks = cutAt(bytes, cutPoints(bytes, where));
      const expected = await run(from(referenceLines(bytes)), o);
      assert.deepEqual(await run(from(splitterLines(chunks)), o), expected, 'ChunkSplitter');
      assert.deepEqual(await run(readLogStream(Readable.from(chunks)), o), expected, 'readLogStream');
    }),
    runs(300),
  );
});

test('readLogFile on a real file gives the same events for any small chunk size', async () => {
  await fc.assert(
    fc.asyncProperty(logCase({ maxLines: 80 }), fc.integer({ min: 1, max: 64 }), monitorOptions, async (c, chunkSize, o) => {
      const bytes = caseBytes(c);
      const path = writeCase(bytes);
      assert.deepEqual(await run(readLogFile(path, { chunkSize }), o), await run(from(referenceLines(bytes)), o));
    }),
    runs(60),
  );
});

/**
 * A random arrival order of `sorted` (records sorted by time) in which no record is late.
 * Record r is late iff end(r) <= max(time of those before it) - lateness, so an order keeps every
 * record on time iff, whenever r is taken, max(newest so far, time(r)) - lateness stays below the
 * window end of every record still to come. The earliest remaining record always qualifies, so
 * the walk never gets stuck; `choices` picks among the qualifying ones (0: the earliest).
 */
function onTimeOrder(sorted: readonly RecordLine[], interval: number, lateness: number, choices: readonly number[]): RecordLine[] {
  const remaining = [...sorted];
  const order: RecordLine[] = [];
  const endOf = (r: RecordLine) => Math.floor(r.time / interval) * interval + interval;
  let newest = -Infinity;
  for (let step = 0; remaining.length > 0; step++) {
    let min1 = Infinity;
    let min2 = Infinity;
    let argMin = -1;
    remaining.forEach((r, i) => {
      const e = endOf(r);
      if (e < min1) [min2, min1, argMin] = [min1, e, i];
      else if (e < min2) min2 = e;
    });
    const candidates = remaining
      .map((_, i) => i)
      .filter((i) => Math.max(newest, (remaining[i] as RecordLine).time) - lateness < (i === argMin ? min2 : min1));
    const pick = candidates[(choices[step] ?? 0) % candidates.length] as number;
    const [r] = remaining.splice(pick, 1) as [RecordLine];
    order.push(r);
    newest = Math.max(newest, r.time);
  }
  return order;
}

/** `c` with its records, in their slots, replaced by `records` (other lines stay in place). */
function withRecords(c: LogCase, records: readonly RecordLine[]): LogCase {
  let k = 0;
  return withLines(
    c,
    c.lines.map((l): LogLine => (l.kind === 'record' ? (records[k++] as RecordLine) : l)),
  );
}

/** Stats without the per-interval invalid/late counts (and reasons): those depend on when windows close. */
const withoutPending = (events: readonly MonitorEvent[]) =>
  events.map((e) => (e.type === 'stats' ? { ...e, invalid: undefined, late: undefined, invalidReasons: undefined } : e));

test('shuffling lines within the lateness bound gives the same events as the sorted input', async () => {
  let moved = 0;
  await fc.assert(
    fc.asyncProperty(logCase(), monitorOptions, fc.array(fc.nat(), { maxLength: 200, size: 'medium' }), async (c, o, choices) => {
      const sorted = recordsOf(c).sort((a, b) => a.time - b.time);
      const shuffled = onTimeOrder(sorted, o.interval, o.lateness, choices);
      if (shuffled.some((r, i) => r !== sorted[i])) moved++;
      const a = await run(from(referenceLines(caseBytes(withRecords(c, sorted)))), o);
      const b = await run(from(referenceLines(caseBytes(withRecords(c, shuffled)))), o);
      assert.equal((a.at(-1) as SummaryEvent).late, 0, 'sorted input has no late line');
      assert.equal((b.at(-1) as SummaryEvent).late, 0, 'the derived bound keeps every line on time');
      assert.deepEqual(b.at(-1), a.at(-1));
      assert.deepEqual(withoutPending(b), withoutPending(a));
      assert.deepEqual(ofType(b, 'alert'), ofType(a, 'alert'));
    }),
    runs(300),
  );
  assert.ok(moved > 150, `most runs really reordered the records (${moved})`);
});

/** A Common line that ends in `\r\r\n`, and a Combined line longer than the 64 KiB line limit. */
const READER_EDGES = [
  Buffer.from('10.0.0.9 - - [01/Mar/2025:10:00:00 +0000] "GET /cr HTTP/1.1" 200 7\r\r\n'),
  Buffer.from(`10.0.0.9 - - [01/Mar/2025:10:00:00 +0000] "GET /long HTTP/1.1" 200 7 "-" "${'x'.repeat(70_000)}"\n`),
];

/**
 * Found by this property (seed 20261125) when readLogFile decoded with TextDecoder: the one-line
 * file `...200 7\r\r\n` was invalid in --once (one CR stripped) and a record in follow mode
 * (the splitter strips one, the parser another); a >64 KiB line was a record in --once and
 * invalid (overlong) in follow mode. readLogFile now reads through the same splitter.
 */
test('the replay reader (--once: readLogFile) and the follow reader (tailLines) read any file alike', async () => {
  await fc.assert(
    fc.asyncProperty(
      logCase({ maxLines: 40 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(READER_EDGES.length - 1)), { maxLength: 3 }),
      monitorOptions,
      async (c, edges, o) => {
        // Every line terminated, so that the file's last line is not a special case.
        const lines: Buffer[] = c.lines.map((l, i) => Buffer.concat([l.raw, Buffer.from(c.endings[i] || '\n')]));
        for (const [at, which] of edges) lines.splice(at % (lines.length + 1), 0, READER_EDGES[which] as Buffer);
        const path = writeCase(Buffer.concat(lines));
        const replayed = await lastValueFrom(readLogFile(path).pipe(toLines(), toArray()));
        const followed = await firstValueFrom(tailLines(path, { watch: false }).pipe(take(replayed.length), toArray(), timeout(20_000)));
        assert.deepEqual(await run(from(followed), o), await run(readLogFile(path), o));
      },
    ),
    runs(30),
  );
});
