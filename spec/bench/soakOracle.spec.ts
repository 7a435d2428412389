import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { scanLogs } from '../../bench/soakLogFiles.js';
import { intervalOf, judge, type Interval, type LineSum, type OracleInput } from '../../bench/soakOracle.js';
import { intervalStart, soakLine } from '../../bench/soakWriter.js';
import { tempDir } from '../helpers/tempDir.js';

const A = '2026-01-01T00:00:00Z';
const B = '2026-01-01T00:00:10Z';
const C = '2026-01-01T00:00:20Z';

/** An interval holding the lines numbered `lines` (a line's bytes are its number). */
function iv(start: string, lines: readonly number[], extra: Partial<Interval> = {}): Interval {
  const bytes = lines.reduce((a, b) => a + b, 0);
  const hits = lines.length;
  return { start, hits, bytes, clients: 1, status: { '2xx': hits }, sections: [{ name: '/f', hits }], late: 0, ...extra };
}

function sums(byStart: Record<string, readonly number[]>): Map<string, LineSum> {
  return new Map(Object.entries(byStart).map(([start, lines]) => [start, { count: lines.length, sum: lines.reduce((a, b) => a + b, 0) }]));
}

/** Lines 1–3 in A, 4–6 in B, 7–9 in C, all written and on disk; `once` reports them. */
function input(runs: readonly (readonly Interval[])[], overrides: Partial<OracleInput> = {}): OracleInput {
  const lines = { [A]: [1, 2, 3], [B]: [4, 5, 6], [C]: [7, 8, 9] };
  return {
    runs,
    once: [iv(A, [1, 2, 3]), iv(B, [4, 5, 6]), iv(C, [7, 8, 9])],
    written: sums(lines),
    onDisk: sums(lines),
    ...overrides,
  };
}

describe('soak oracle', () => {
  it('passes runs that together report every interval once, as --once does', () => {
    const v = judge(input([[iv(A, [1, 2, 3])], [iv(B, [4, 5, 6]), iv(C, [7, 8, 9]), iv('2026-01-01T00:00:30Z', [])]]));
    assert.deepEqual(
      [v.intervals, v.missing, v.duplicated, v.different, v.extra, v.replay, v.linesWritten, v.linesCounted, v.lostOnDisk, v.lostNotOnDisk],
      [3, 0, 0, 0, 0, 0, 9, 9, 0, 0],
    );
    assert.deepEqual(v.findings, []);
  });

  it('finds an interval no run reported (a run whose output is dropped) and its lines still on disk', () => {
    const v = judge(input([[iv(A, [1, 2, 3])], [iv(C, [7, 8, 9])]]));
    assert.equal(v.missing, 1);
    assert.equal(v.lostOnDisk, 3);
    assert.deepEqual(
      v.findings.map((f) => [f.kind, f.start]),
      [['missing', B]],
    );
  });

  it('counts a second report as duplicated, with or without other values', () => {
    const v = judge(
      input([
        [iv(A, [1, 2, 3]), iv(B, [4])],
        [iv(B, [4, 5, 6]), iv(C, [7, 8, 9]), iv(C, [7, 8, 9])],
      ]),
    );
    assert.equal(v.duplicated, 2);
    // The first report counts: B is short of lines 5 and 6.
    assert.equal(v.different, 1);
    assert.equal(v.lostOnDisk, 2);
    assert.match(v.findings.find((f) => f.kind === 'duplicated' && f.start === B)!.detail, /hits 1 then 3/);
  });

  it('takes a re-report with a higher revision as replacing the earlier one', () => {
    const v = judge(
      input([
        [iv(A, [1, 2, 3]), iv(B, [4])],
        [iv(B, [4, 5, 6], { revision: 1 }), iv(C, [7, 8, 9])],
      ]),
    );
    assert.deepEqual([v.duplicated, v.different, v.lostOnDisk], [0, 0, 0]);
    const stale = judge(
      input([
        [iv(A, [1, 2, 3]), iv(B, [4, 5, 6], { revision: 2 })],
        [iv(B, [4, 5, 6], { revision: 1 }), iv(C, [7, 8, 9])],
      ]),
    );
    assert.equal(stale.duplicated, 1);
  });

  it('names the one line an interval lacks by its number, and counts what was counted late', () => {
    const v = judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 6], { late: 1 }), iv(C, [7, 8, 9])]]));
    assert.equal(v.different, 1);
    assert.equal(v.late, 1);
    assert.match(v.findings[0]!.detail, /hits 2 \(want 3\).*line 5 not counted/);
  });

  it('finds values that differ with the same hits (a line swapped for another)', () => {
    const v = judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 5, 5]), iv(C, [7, 8, 9])]]));
    assert.equal(v.different, 1);
    assert.match(v.findings[0]!.detail, /^bytes 14 \(want 15\)/);
  });

  it('lets a run count lines that copytruncate lost from disk, and no more', () => {
    // Line 6 was written and read, then lost between logrotate's copy and its truncation.
    const lost = {
      written: sums({ [A]: [1, 2, 3], [B]: [4, 5, 6], [C]: [7, 8, 9] }),
      onDisk: sums({ [A]: [1, 2, 3], [B]: [4, 5], [C]: [7, 8, 9] }),
    };
    const once = [iv(A, [1, 2, 3]), iv(B, [4, 5]), iv(C, [7, 8, 9])];
    const v = judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 5, 6], { status: { '2xx': 3 } }), iv(C, [7, 8, 9])]], { ...lost, once }));
    assert.deepEqual([v.different, v.explainedByLoss, v.lostOnDisk, v.lostNotOnDisk], [0, 1, 0, 0]);
    const notRead = judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 5]), iv(C, [7, 8, 9])]], { ...lost, once }));
    assert.deepEqual([notRead.different, notRead.lostOnDisk, notRead.lostNotOnDisk], [0, 0, 1]);
    const tooMany = judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 5, 6, 6]), iv(C, [7, 8, 9])]], { ...lost, once }));
    assert.equal(tooMany.different, 1);
  });

  it('checks --once itself against the lines on disk', () => {
    const once = [iv(A, [1, 2, 3]), iv(B, [4, 5, 6]), iv(C, [7, 8])];
    const v = judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 5, 6]), iv(C, [7, 8, 9])]], { once }));
    assert.equal(v.replay, 1);
    assert.deepEqual(
      v.findings.filter((f) => f.kind === 'replay').map((f) => f.start),
      [C],
    );
    assert.equal(judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 5, 6]), iv(C, [7, 8, 9])]])).replay, 0);
  });

  it('reports a non-empty interval that --once does not have', () => {
    const v = judge(input([[iv(A, [1, 2, 3]), iv(B, [4, 5, 6]), iv(C, [7, 8, 9]), iv('2026-01-01T00:00:40Z', [10])]]));
    assert.equal(v.extra, 1);
  });

  it('reads the stats events of the NDJSON output and nothing else', () => {
    const sections = [{ name: '/f1', hits: 2 }];
    const stats = {
      type: 'stats',
      start: A,
      end: B,
      hits: 2,
      bytes: 3,
      clients: 2,
      hosts: 2,
      sections,
      status: { '2xx': 2 },
      invalid: 0,
      late: 0,
    };
    assert.deepEqual(intervalOf(stats), { start: A, hits: 2, bytes: 3, clients: 2, status: { '2xx': 2 }, sections, late: 0 });
    assert.equal(intervalOf({ ...stats, revision: 1 })?.revision, 1);
    assert.equal(intervalOf({ type: 'summary', lines: 2 }), undefined);
  });
});

describe('soak log files', () => {
  it('counts each written line on disk once per interval, gzipped files included', () => {
    const dir = tempDir();
    const t = Date.UTC(2026, 0, 1, 0, 0, 8);
    writeFileSync(join(dir, 'a.log.2.gz'), gzipSync(soakLine(1, 0, t) + soakLine(2, 0, t)));
    writeFileSync(join(dir, 'a.log.1'), soakLine(2, 0, t) + soakLine(3, 0, t + 2000));
    writeFileSync(join(dir, 'a.log'), `${soakLine(4, 0, t + 3000)}garbage\n${soakLine(5, 0, t + 3000).slice(0, 30)}`);
    const disk = scanLogs(dir, 5, 10);
    assert.deepEqual([...disk.lines].sort(), [
      [intervalStart(t, 10), { count: 2, sum: 3 }],
      [B, { count: 2, sum: 7 }],
    ]);
    assert.deepEqual([disk.repeated, disk.foreign, disk.files], [1, 2, 3]);
  });
});
