/** The soak's one table: what ran, what was compared, what was found. */
import type { Samples } from './soakRuns.js';
import type { Verdict } from './soakOracle.js';

export interface TableInput {
  readonly minutes: number;
  readonly runs: number;
  readonly faults: ReadonlyMap<string, number>;
  readonly skipped: readonly string[];
  readonly verdict: Verdict;
  readonly samples: Samples;
  readonly diskRepeated: number;
  /** Runs that ended without being told to. */
  readonly unasked: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The highest value of each fifth of the soak's samples (growth shows as a rising row). */
export function byFifth(series: readonly { t: number; rss: number; fds: number }[], key: 'rss' | 'fds'): string {
  if (series.length === 0) return '-';
  const end = series.at(-1)!.t + 1e-9;
  const fifths: number[] = [0, 0, 0, 0, 0];
  for (const s of series) {
    const i = Math.min(4, Math.floor((s.t / end) * 5));
    fifths[i] = Math.max(fifths[i]!, s[key]);
  }
  return fifths.map((v) => (v === 0 ? '-' : v.toFixed(0))).join(' / ');
}

function delays(values: readonly number[]): string {
  if (values.length === 0) return '-';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): string => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `${at(0.5)} / ${at(0.99)} / ${sorted.at(-1)!.toFixed(1)}`;
}

/** Rows `[what, value]`, and whether the soak passed. */
export function soakTable(input: TableInput): { text: string; passed: boolean } {
  const v = input.verdict;
  const s = input.samples;
  const intervalsWrong = v.missing + v.duplicated + v.different + v.extra + v.replay;
  const passed = intervalsWrong === 0 && v.lostOnDisk === 0 && input.unasked === 0;
  const faults = [...input.faults].map(([name, n]) => `${n} ${name}`).join(', ') || 'none';
  const rows: [string, string][] = [
    ['minutes', String(input.minutes)],
    ['runs (follow processes)', fmt(input.runs)],
    ['runs that ended unasked', fmt(input.unasked)],
    ['faults', faults + (input.skipped.length > 0 ? `; skipped: ${input.skipped.join('; ')}` : '')],
    ['lines written', fmt(v.linesWritten)],
    ['lines counted in intervals', fmt(v.linesCounted)],
    ['intervals compared (--once)', fmt(v.intervals)],
    ['intervals missing', fmt(v.missing)],
    ['intervals duplicated', fmt(v.duplicated)],
    ['intervals different', fmt(v.different)],
    ['intervals not in --once', fmt(v.extra)],
    ['intervals where --once miscounts the files', fmt(v.replay)],
    ['intervals short only of lines not on disk', fmt(v.explainedByLoss)],
    ['lines lost, still on disk', fmt(v.lostOnDisk)],
    ['lines lost, not on disk (copytruncate)', fmt(v.lostNotOnDisk)],
    ['lines counted late', fmt(v.late)],
    ['lines on disk twice', fmt(input.diskRepeated)],
    ['report delay s (interval end to output) median / p99 / max', delays(s.delays)],
    ['RSS MB min–max', s.count === 0 ? '-' : `${s.rssMin.toFixed(0)}–${s.rssMax.toFixed(0)}`],
    ['open fds min–max', s.count === 0 ? '-' : `${s.fdsMin}–${s.fdsMax}`],
    ['RSS MB, highest per fifth of the soak', byFifth(s.series, 'rss')],
    ['open fds, highest per fifth', byFifth(s.series, 'fds')],
    ['verdict', passed ? 'PASS' : 'FAIL'],
  ];
  const width = Math.max(...rows.map(([what]) => what.length));
  const text = rows.map(([what, value]) => `${what.padEnd(width)}  ${value}`).join('\n');
  return { text, passed };
}
