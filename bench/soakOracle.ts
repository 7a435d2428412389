/**
 * The soak's verdict, pure: every interval reported by the follow runs (their NDJSON,
 * concatenated in run order) against the intervals of `--once` over everything on disk, keyed by
 * interval start; and the lines written against what was counted. No I/O, no clock: the soak
 * (bench/soak.ts) gathers the inputs, spec/bench/soakOracle.spec.ts feeds it small hand-made ones.
 */

/** The fields of a stats event that the soak compares (others, such as `late`, may differ). */
export interface Interval {
  readonly start: string;
  readonly hits: number;
  readonly bytes: number;
  readonly clients: number;
  readonly status: Readonly<Record<string, number>>;
  readonly sections: readonly { readonly name: string; readonly hits: number }[];
  /** A re-report carries a higher revision than the report it replaces. */
  readonly revision?: number;
  /** Lines counted late in the report (follow runs only). */
  readonly late: number;
}

/** Lines of one interval: how many, and the sum of their numbers (a line's bytes are its number). */
export interface LineSum {
  count: number;
  sum: number;
}

export interface OracleInput {
  /** Each run's stats events in output order; runs in start order. */
  readonly runs: readonly (readonly Interval[])[];
  /** `--once` over everything on disk. */
  readonly once: readonly Interval[];
  /** Per interval start: the lines written. */
  readonly written: ReadonlyMap<string, LineSum>;
  /** Per interval start: the written lines still on disk (each once). */
  readonly onDisk: ReadonlyMap<string, LineSum>;
}

export interface Finding {
  readonly start: string;
  readonly kind: 'missing' | 'duplicated' | 'different' | 'extra' | 'replay';
  readonly detail: string;
}

export interface Verdict {
  readonly intervals: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly different: number;
  /** Reported by a run but not by `--once` (and not empty). */
  readonly extra: number;
  /** Intervals where `--once` itself does not count the lines on disk (hits and bytes). */
  readonly replay: number;
  /** Intervals that differ from `--once` only by lines that are not on disk (copytruncate's window). */
  readonly explainedByLoss: number;
  readonly linesWritten: number;
  readonly linesCounted: number;
  readonly lostOnDisk: number;
  readonly lostNotOnDisk: number;
  /** Lines the runs counted late (in no interval). */
  readonly late: number;
  readonly findings: readonly Finding[];
}

/** A stats event of `--output json` as the soak needs it, or undefined for other events. */
export function intervalOf(event: unknown): Interval | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  if (e.type !== 'stats' || typeof e.start !== 'string') return undefined;
  const interval: Interval = {
    start: e.start,
    hits: Number(e.hits),
    bytes: Number(e.bytes),
    clients: Number(e.clients),
    status: (e.status ?? {}) as Record<string, number>,
    sections: (e.sections ?? []) as Interval['sections'],
    late: Number(e.late ?? 0),
  };
  return typeof e.revision === 'number' ? { ...interval, revision: e.revision } : interval;
}

/** What differs between two reports of one interval, or '' when they agree. */
export function difference(got: Interval, want: Interval): string {
  const parts: string[] = [];
  for (const key of ['hits', 'bytes', 'clients'] as const) {
    if (got[key] !== want[key]) parts.push(`${key} ${got[key]} (want ${want[key]})`);
  }
  if (JSON.stringify(sorted(got.status)) !== JSON.stringify(sorted(want.status))) {
    parts.push(`status ${JSON.stringify(got.status)} (want ${JSON.stringify(want.status)})`);
  }
  if (JSON.stringify(got.sections) !== JSON.stringify(want.sections)) parts.push('sections differ');
  return parts.join(', ');
}

function sorted(record: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const EMPTY: LineSum = { count: 0, sum: 0 };

/** Compares the runs with `--once` and the lines written with the lines counted. */
export function judge(input: OracleInput): Verdict {
  const findings: Finding[] = [];
  // The report that counts for each interval: the first, or a later one with a higher revision.
  const last = new Map<string, Interval>();
  let duplicated = 0;
  let late = 0;
  for (const run of input.runs) {
    for (const interval of run) {
      late += interval.late;
      const before = last.get(interval.start);
      if (before === undefined) {
        last.set(interval.start, interval);
        continue;
      }
      if (interval.revision !== undefined && interval.revision > (before.revision ?? 0)) {
        last.set(interval.start, interval);
        continue;
      }
      duplicated++;
      const same = difference(interval, before) === '';
      findings.push({
        start: interval.start,
        kind: 'duplicated',
        detail: same ? `reported again, same values (hits ${interval.hits})` : `reported again: hits ${before.hits} then ${interval.hits}`,
      });
    }
  }
  const once = new Map(input.once.map((interval) => [interval.start, interval]));
  let missing = 0;
  let different = 0;
  let explainedByLoss = 0;
  for (const [start, want] of once) {
    const got = last.get(start);
    if (got === undefined) {
      missing++;
      findings.push({ start, kind: 'missing', detail: `never reported (${want.hits} hits in --once)` });
      continue;
    }
    const diff = difference(got, want);
    if (diff === '') continue;
    // Lines a run read before copytruncate's truncation but that the copy lacks: counted by the
    // run, on no disk. Such a report has more hits and bytes, by at most those lines.
    const written = input.written.get(start) ?? EMPTY;
    const disk = input.onDisk.get(start) ?? EMPTY;
    const extraHits = got.hits - want.hits;
    const extraBytes = got.bytes - want.bytes;
    if (extraHits > 0 && extraHits <= written.count - disk.count && extraBytes > 0 && extraBytes <= written.sum - disk.sum) {
      explainedByLoss++;
      continue;
    }
    different++;
    findings.push({ start, kind: 'different', detail: diff + namedLines(got, want) });
  }
  // The oracle checked too: --once must count exactly the lines on disk.
  let replay = 0;
  for (const start of new Set([...once.keys(), ...input.onDisk.keys()])) {
    const want = input.onDisk.get(start) ?? EMPTY;
    const got = once.get(start);
    if ((got?.hits ?? 0) === want.count && (got?.bytes ?? 0) === want.sum) continue;
    replay++;
    const detail = `--once counts ${got?.hits ?? 0} lines (bytes ${got?.bytes ?? 0}), the files hold ${want.count} (sum ${want.sum})`;
    findings.push({ start, kind: 'replay', detail });
  }
  let extra = 0;
  for (const [start, got] of last) {
    if (once.has(start) || got.hits === 0) continue;
    extra++;
    findings.push({ start, kind: 'extra', detail: `reported with ${got.hits} hits, not in --once` });
  }
  let linesWritten = 0;
  let lostOnDisk = 0;
  let lostNotOnDisk = 0;
  let linesCounted = 0;
  for (const [start, written] of input.written) {
    linesWritten += written.count;
    const disk = input.onDisk.get(start) ?? EMPTY;
    const counted = last.get(start)?.hits ?? 0;
    linesCounted += counted;
    lostOnDisk += Math.max(0, disk.count - counted);
    lostNotOnDisk += Math.max(0, written.count - Math.max(disk.count, counted));
  }
  return {
    intervals: once.size,
    missing,
    duplicated,
    different,
    extra,
    replay,
    explainedByLoss,
    linesWritten,
    linesCounted,
    lostOnDisk,
    lostNotOnDisk,
    late,
    findings,
  };
}

/** When a report lacks exactly one line of `--once`, its number (bytes = line number). */
function namedLines(got: Interval, want: Interval): string {
  const hits = want.hits - got.hits;
  const bytes = want.bytes - got.bytes;
  if (hits === 1) return `; line ${bytes} not counted`;
  if (hits === -1) return `; line ${-bytes} counted twice or extra`;
  if (hits > 1) return `; ${hits} lines not counted`;
  return '';
}
