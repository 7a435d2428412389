/**
 * The law of many files: the events for several files equal those of one replay of their
 * lines merged by time, stably (in order within each file). Checked with fast-check (fixed
 * seed) through the real sources and operators (`monitorFiles` on real files, some of them
 * gzip-compressed) against `monitor` on the merged lines. The oracle takes each line's
 * declared time, never the parser's output.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { monitor } from '../../src/engine/monitor.js';
import { monitorFiles } from '../../src/engine/monitorFiles.js';
import type { MonitorEvent } from '../../src/types.js';
import { apacheStamp, monitorOptions } from '../helpers/arbitraries.js';

const SEED = 20_261_129;
const dir = mkdtempSync(join(tmpdir(), 'apachescan-lawsfiles-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let cases = 0;

/** A line as written, with the time it declares (undefined: invalid or blank). */
interface Declared {
  readonly text: string;
  readonly time: number | undefined;
}

const BASE = Date.UTC(2026, 2, 1, 12);
const SECTIONS = ['/', '/api/user', '/static/app.js', '/login'];

const step = fc.record({
  gap: fc.oneof(fc.constantFrom(0, 0, 1), fc.integer({ min: 0, max: 40 })),
  disorder: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 25 })),
  kind: fc.constantFrom('record', 'record', 'record', 'record', 'invalid', 'blank'),
  host: fc.nat(5),
  section: fc.nat(SECTIONS.length - 1),
  status: fc.constantFrom(200, 200, 301, 404, 500),
  zone: fc.constantFrom(0, 120, -300),
});

/** One file: lines at a per-file start, each `gap` s after the previous one, minus its disorder. */
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

function fileOf(start: number, steps: readonly Step[], sorted: boolean, tag: number): Declared[] {
  let clock = BASE + start * 1000;
  return steps.map((s) => {
    clock += s.gap * 1000;
    const time = sorted ? clock : clock - s.disorder * 1000;
    if (s.kind === 'blank') return { text: '   ', time: undefined };
    if (s.kind === 'invalid' && !sorted) return { text: `garbage from file ${tag} \u0000 [${apacheStamp(time, 0)}]`, time: undefined };
    const path = SECTIONS[s.section] ?? '/';
    return {
      text: `10.${tag}.0.${s.host} - - [${apacheStamp(time, s.zone)}] "GET ${path} HTTP/1.1" ${s.status} ${100 + s.host} "-" "agent ${tag}"`,
      time,
    };
  });
}

const filesArb = (sorted: boolean) =>
  fc
    .array(fc.record({ start: fc.integer({ min: 0, max: 90 }), steps: fc.array(step, { maxLength: 60 }), gzip: fc.boolean() }), {
      minLength: 1,
      maxLength: 4,
    })
    .map((files) => files.map((f, i) => ({ lines: fileOf(f.start, f.steps, sorted, i), gzip: f.gzip })));

/** The reference merge: repeatedly the earliest head (a line without time goes at once), ties to the earlier file. */
function mergeByDeclaredTime(files: readonly (readonly Declared[])[]): string[] {
  const queues = files.map((lines) => lines.filter((l) => l.text.trim() !== ''));
  const heads = queues.map(() => 0);
  const out: string[] = [];
  for (;;) {
    let best = -1;
    let bestTime = Infinity;
    queues.forEach((q, i) => {
      const line = q[heads[i] as number];
      if (line === undefined) return;
      const time = line.time ?? -Infinity;
      if (best < 0 || time < bestTime) {
        best = i;
        bestTime = time;
      }
    });
    if (best < 0) return out;
    const queue = queues[best] as Declared[];
    const at = heads[best] as number;
    heads[best] = at + 1;
    out.push((queue[at] as Declared).text);
  }
}

function writeFiles(files: ReadonlyArray<{ lines: readonly Declared[]; gzip: boolean }>): string[] {
  cases++;
  return files.map((f, i) => {
    const path = join(dir, `c${cases}-vhost${i}.log`);
    const text = Buffer.from(f.lines.map((l) => `${l.text}\n`).join(''));
    writeFileSync(path, f.gzip ? gzipSync(text) : text);
    return path;
  });
}

const run = (events$: Observable<MonitorEvent>): Promise<MonitorEvent[]> => lastValueFrom(events$.pipe(toArray()));

test('files each in time order: the events equal one replay of all their lines sorted by time, stably', async () => {
  await fc.assert(
    fc.asyncProperty(filesArb(true), monitorOptions, async (files, options) => {
      const paths = writeFiles(files);
      const all = files.flatMap((f, i) => f.lines.map((l, at) => ({ ...l, i, at }))).filter((l) => l.time !== undefined);
      const sorted = [...all].sort((a, b) => (a.time as number) - (b.time as number) || a.i - b.i || a.at - b.at).map((l) => l.text);
      assert.deepEqual(await run(monitorFiles(paths, options)), await run(monitor(from(sorted), options)));
    }),
    { seed: SEED, numRuns: 40 },
  );
});

test('any files (out-of-order lines, invalid lines, gzip): the events equal one replay of their lines merged by time', async () => {
  await fc.assert(
    fc.asyncProperty(filesArb(false), monitorOptions, async (files, options) => {
      const paths = writeFiles(files);
      const merged = mergeByDeclaredTime(files.map((f) => f.lines));
      assert.deepEqual(await run(monitorFiles(paths, options)), await run(monitor(from(merged), options)));
    }),
    { seed: SEED + 1, numRuns: 60 },
  );
});

test('--since/--until: lines outside are counted, the rest gives the events of the lines in range', async () => {
  await fc.assert(
    fc.asyncProperty(
      filesArb(true),
      monitorOptions,
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 1, max: 600 }),
      async (files, options, from_, length) => {
        const paths = writeFiles(files);
        const since = BASE + from_ * 1000;
        const until = since + length * 1000;
        const all = files.flatMap((f, i) => f.lines.map((l, at) => ({ ...l, i, at }))).filter((l) => l.time !== undefined);
        const inRange = all.filter((l) => (l.time as number) >= since && (l.time as number) < until);
        const sorted = [...inRange].sort((a, b) => (a.time as number) - (b.time as number) || a.i - b.i || a.at - b.at).map((l) => l.text);
        const expected = await run(monitor(from(sorted), options));
        const last = expected.pop();
        expected.push({ ...(last as MonitorEvent), outOfRange: all.length - inRange.length } as MonitorEvent);
        assert.deepEqual(await run(monitorFiles(paths, { ...options, since, until })), expected);
      },
    ),
    { seed: SEED + 2, numRuns: 30 },
  );
});

test('--by file: the same events, each interval with its hits per file (files in time order: no line is late)', async () => {
  await fc.assert(
    fc.asyncProperty(filesArb(true), monitorOptions, async (files, options) => {
      const paths = writeFiles(files);
      const plain = await run(monitorFiles(paths, options));
      const byFile = await run(monitorFiles(paths, { ...options, by: 'file' }));
      assert.deepEqual(
        byFile.map((e) => (e.type === 'stats' ? { ...e, by: undefined } : e)),
        plain.map((e) => (e.type === 'stats' ? { ...e, by: undefined } : e)),
      );
      for (const e of byFile) {
        if (e.type !== 'stats') continue;
        const expected = paths
          .map((path, i) => ({
            name: path,
            hits: (files[i]?.lines ?? []).filter((l) => l.time !== undefined && l.time >= e.start && l.time < e.end).length,
          }))
          .filter((x) => x.hits > 0)
          .sort((a, b) => b.hits - a.hits || (a.name < b.name ? -1 : 1));
        assert.deepEqual(e.by, expected);
      }
    }),
    { seed: SEED + 3, numRuns: 30 },
  );
});
