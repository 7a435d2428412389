/**
 * The file engine (`monitorFiles`: per-file line chunks, record batches,
 * `mergeByTime`, `eventTimeRange` and `--by`) gives the events of the
 * reference pipeline (one value at a time, string parser) on the files' lines merged by time.
 * The merge order comes from the string parser's times (an invalid line goes at once, ties to
 * the earlier file), so any line the byte parser reads differently shows.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { from, lastValueFrom, map, toArray, type Observable } from 'rxjs';
import { monitorFiles, type MonitorFilesOptions } from '../../src/engine/monitorFiles.js';
import { monitor } from '../../src/engine/monitor.js';
import { resolveFormat } from '../../src/parse/formats.js';
import { readLogFile } from '../../src/source/readLogFile.js';
import { parseAccessLog } from '../../operators/parseAccessLog.js';
import { toLines } from '../../operators/toLines.js';
import type { RecordBatch } from '../../src/parse/recordBatch.js';
import { eventTimeWindowsOnState } from '../../operators/eventTimeWindows.js';
import { createWindowing } from '../../src/core/eventTimeWindowing.js';
import { countBreakdown } from '../../src/engine/breakdown/countBreakdown.js';
import { createBreakdown, takeWindow } from '../../src/engine/breakdown/windowBreakdown.js';
import type { AccessRecord, MonitorEvent, SectionHits } from '../../src/types.js';
import { referenceMonitor } from '../helpers/reference.js';
import { Random } from '../../bench/prng.js';

const dir = mkdtempSync(join(tmpdir(), 'apachescan-batchfiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function write(lines: readonly string[], gzip = false, name = `f${files++}.log`): string {
  const path = join(dir, name);
  const text = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

/** The sources' lines merged as `mergeByTime` merges them, times by the string parser. */
function mergeByParsedTime(sources: readonly (readonly string[])[], format = 'auto'): string[] {
  const parse = resolveFormat(format);
  const queues = sources.map((lines) =>
    lines
      .filter((l) => l.trim() !== '')
      .map((text) => {
        const parsed = parse(text);
        return { text, time: parsed.type === 'record' ? parsed.time : -Infinity };
      }),
  );
  const heads = queues.map(() => 0);
  const out: string[] = [];
  for (;;) {
    let best = -1;
    let bestTime = Infinity;
    queues.forEach((q, i) => {
      const line = q[heads[i] as number];
      if (line !== undefined && (best < 0 || line.time < bestTime)) {
        best = i;
        bestTime = line.time;
      }
    });
    if (best < 0) return out;
    out.push((queues[best] as { text: string }[])[(heads[best] as number)++]?.text as string);
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');
function stamp(second: number): string {
  return `10/Oct/2026:${pad(Math.floor(second / 3600) % 24)}:${pad(Math.floor(second / 60) % 60)}:${pad(second % 60)} +0000`;
}

/** `count` lines from second `start` on, a few seconds out of order, every line its own client (and most their own section), some garbage. */
function generated(random: Random, tag: number, start: number, count: number, first = 0): string[] {
  const lines: string[] = [];
  for (let k = first; k < first + count; k++) {
    if (random.below(500) === 0) {
      lines.push(random.below(2) === 0 ? `garbage ${tag}.${k}` : '');
      continue;
    }
    const second = start + Math.floor(k / 40) - random.below(4);
    const section = random.below(3) === 0 ? '/api' : `/t${tag}s${k}`;
    const status = [200, 200, 304, 404, 500][random.below(5)] as number;
    const vhost = random.below(4) === 0 ? '' : `site${random.below(3)}.example:80 `;
    lines.push(
      `${vhost}h${tag}-${k}.example - - [${stamp(second)}] "GET ${section}/x HTTP/1.1" ${status} ${random.below(9000)} "-" "ua ${tag}"${random.below(50) === 0 ? '\r' : ''}`,
    );
  }
  return lines;
}

const run = <T>(events$: Observable<T>): Promise<T[]> => lastValueFrom(events$.pipe(toArray()));

test('monitorFiles on big files (history, gzip, more distinct clients and sections than the dictionaries hold, late and invalid lines): the reference events and records', async () => {
  const random = new Random(20_261_129);
  // File 0: a gzip-compressed rotated sibling, then the live file (one source, 36 000 lines:
  // more distinct clients than one intern table holds); files 1 and 2 overlap it in time.
  const old = generated(random, 0, 36_000, 16_000);
  const live0 = generated(random, 0, 36_400, 20_000, 16_000);
  const one = generated(random, 1, 36_010, 18_000);
  const two = generated(random, 2, 36_300, 12_000);
  const base = join(dir, 'big0.log');
  write(old, true, 'big0.log.1');
  write(live0, false, 'big0.log');
  const paths = [base, write(one), write(two)];
  const merged = mergeByParsedTime([[...old, ...live0], one, two]);
  for (const options of [
    { interval: 10_000, lateness: 2000, top: 3 },
    { interval: 1000, lateness: 0, top: 0, since: Date.UTC(2026, 9, 10, 10, 5), until: Date.UTC(2026, 9, 10, 10, 12) },
  ] as const) {
    const seen: AccessRecord[] = [];
    const expectedRecords: AccessRecord[] = [];
    const { since, until, ...engine } = { since: undefined, until: undefined, ...options };
    const inRange = (line: string): boolean => {
      const parsed = resolveFormat('auto')(line);
      return parsed.type !== 'record' || ((since === undefined || parsed.time >= since) && (until === undefined || parsed.time < until));
    };
    const expected = await run(referenceMonitor(from(merged.filter(inRange)), engine));
    await run(monitor(from(merged.filter(inRange)), { ...engine, onRecord: (r) => expectedRecords.push(r) }));
    if (since !== undefined) {
      const last = expected.pop() as MonitorEvent;
      expected.push({ ...last, outOfRange: merged.length - merged.filter(inRange).length } as MonitorEvent);
    }
    const actual = await run(monitorFiles(paths, { ...options, history: true, onRecord: (r) => seen.push(r) } as MonitorFilesOptions));
    assert.ok(
      expected.some((e) => e.type === 'summary' && e.late > 0 && e.invalid > 0),
      'the case has late and invalid lines',
    );
    assert.deepStrictEqual(actual, expected);
    assert.deepStrictEqual(seen, expectedRecords, 'onRecord: the same records in the same order');
  }
});

test('monitorFiles: edge-case lines (CR, unicode, overlong, vhosts, bad times) in several files, the reference events', async () => {
  const random = new Random(7);
  const edge = [
    `10.0.0.1 - - [${stamp(36_001)}] "GET /ünïcødé/path HTTP/1.1" 200 1 "-" "Mözilla 🦊"`,
    `hôte-ñ - - [${stamp(36_002)}] "GET /naïve?x=ü HTTP/1.1" 200 5`,
    `10.0.0.2 - - [32/Oct/2026:13:55:36 +0000] "GET /bad-day HTTP/1.1" 200 5`,
    `\uFEFF10.0.0.9 - - [${stamp(36_003)}] "GET /bom HTTP/1.1" 200 5`,
    `10.0.0.7 - - [${stamp(36_004)}] "GET /long/${'x'.repeat(30_000)} HTTP/1.1" 200 9`,
    `10.0.0.9 - - [${stamp(36_005)}] "GET /crlf HTTP/1.1" 200 5\r`,
    `example.com:443 10.0.0.10 - - [${stamp(36_005)}] "GET /vhost HTTP/1.1" 200 7`,
    `10.0.0.8 - - [${stamp(35_000)}] "GET /late HTTP/1.1" 200 5`,
  ];
  const sources = [
    [...generated(random, 1, 36_000, 300), ...edge, ...generated(random, 1, 36_010, 300)],
    generated(random, 2, 36_000, 500),
    [...edge].reverse(),
  ];
  const paths = sources.map((lines, i) => write(lines, i === 1));
  for (const format of ['auto', 'common', 'vhost_combined']) {
    const options = { format, interval: 2000, lateness: 1000 };
    assert.deepStrictEqual(
      await run(monitorFiles(paths, options)),
      await run(referenceMonitor(from(mergeByParsedTime(sources, format)), options)),
      format,
    );
  }
});

/** Per window, the `--by` counts that `countBreakdown` makes on `parsed$` (the windows' own state decides lateness). */
async function breakdownOf(
  parsed$: Observable<RecordBatch>,
  maxFuture: number | undefined,
): Promise<Array<{ start: number; hits: number; by: SectionHits[] }>> {
  const windowing = createWindowing({ interval: 2000, lateness: 1500 });
  const breakdown = createBreakdown(2000, 4);
  const scheduler = {
    now: () => Date.UTC(2026, 9, 10, 10, 5),
    schedule: () => {
      throw new Error('no timers here');
    },
  } as never;
  const counted = parsed$.pipe(
    countBreakdown({
      target: () => ({ windowing, breakdown }),
      keyOfRow: (batch, row) => batch.hostDict[batch.hostIds[row] as number]?.slice(-9, -8) ?? '-',
      maxFuture,
      scheduler,
    }),
    eventTimeWindowsOnState({ state: windowing, ...(maxFuture === undefined ? {} : { maxFuture, scheduler }) }),
  );
  const out: Array<{ start: number; hits: number; by: SectionHits[] }> = [];
  await run(
    counted.pipe(
      map(
        (item) =>
          item.type === 'window' && out.push({ start: item.start, hits: item.hits, by: takeWindow(breakdown, item.start, item.hits) }),
      ),
    ),
  );
  return out;
}

test('--by on batches: each row counted exactly when the windows count it (late rows, rows dated in the future, keys past the cap)', async () => {
  const random = new Random(99);
  const lines = generated(random, 3, 36_000, 20_000);
  const path = write(lines);
  for (const maxFuture of [undefined, 0]) {
    const onBatches = await breakdownOf(readLogFile(path).pipe(parseAccessLog()), maxFuture);
    const oneByOne = await breakdownOf(readLogFile(path).pipe(toLines(), parseAccessLog()), maxFuture);
    assert.ok(
      onBatches.length > 10 && onBatches.some((w) => w.by.some((k) => k.name === 'other')),
      'windows, and keys folded past the cap',
    );
    assert.deepStrictEqual(onBatches, oneByOne);
    for (const w of onBatches)
      assert.equal(
        w.by.reduce((n, k) => n + k.hits, 0),
        w.hits,
        'the counts add up to the hits',
      );
  }
});

test('onRequest on merged batches: sizes and durations (%D) of every request, in merge order, as on the merged lines', async () => {
  const format = '%h %l %u %t "%r" %>s %b %D';
  const random = new Random(5);
  const sources = [0, 1, 2].map((tag) =>
    Array.from({ length: 6000 }, (_, k) =>
      k % 997 === 5
        ? 'junk'
        : `10.0.${tag}.${k % 200} - - [${stamp(36_000 + Math.floor(k / 30) - random.below(3))}] "GET /s${k % 9} HTTP/1.1" 200 ${k} ${tag * 100_000 + k}`,
    ),
  );
  const paths = sources.map((lines) => write(lines));
  const merged = mergeByParsedTime(sources, format);
  const seen: Array<[number, number | undefined]> = [];
  const expected: Array<[number, number | undefined]> = [];
  const options = { format, interval: 2000, lateness: 1000 };
  const events = await run(monitorFiles(paths, { ...options, onRequest: (bytes, duration) => seen.push([bytes, duration]) }));
  assert.deepStrictEqual(
    events,
    await run(monitor(from(merged), { ...options, onRequest: (bytes, duration) => expected.push([bytes, duration]) })),
  );
  assert.ok(expected.length > 17_000 && expected.every(([, d]) => d !== undefined));
  assert.deepStrictEqual(seen, expected);
  const ranged: Array<[number, number | undefined]> = [];
  await run(
    monitorFiles(paths, {
      ...options,
      since: Date.UTC(2026, 9, 10, 10, 1),
      onRequest: (bytes, duration) => ranged.push([bytes, duration]),
    }),
  );
  assert.ok(ranged.length > 0 && ranged.every(([, d]) => d !== undefined), 'after --since too');
});
