/**
 * The per-interval figures of configured rules, folded line by line into each open window's
 * aggregate beside its plain counts (`WindowAggregate.extra`): requests and bytes per rule
 * filter, and a duration sketch for latency rules. Built only when some rule needs it: with
 * no rules the windows do not call it at all.
 */
import type { RuleIntervalData } from '../../types.js';
import type { RecordBatch } from '../../parse/recordBatch.js';
import { addDuration, createSketch, type LatencySketch } from './latencySketch.js';
import type { RuleFilter, RuleNeeds } from './rule.js';

/** Mutable per-window accumulator (what becomes `RuleIntervalData`): requests and bytes per filter, in the fold's filter order. */
export interface RuleAccumulator {
  /** The filters' keys (`filterKey`). */
  readonly keys: readonly string[];
  /** Requests matching each filter. */
  readonly hits: Float64Array;
  /** Their response bytes. */
  readonly bytes: Float64Array;
  /** Latency rules: the window's durations. */
  latency?: LatencySketch;
}

interface CompiledFilter {
  readonly key: string;
  readonly section: string | undefined;
  /** The id of `section` in the current batch's section dictionary (-1: not there, no row matches); see `prepare`. */
  sectionId: number;
  readonly vhost: string | undefined;
  /** Status classes counted, a bit per hundreds digit; 0 with no codes either: any status. */
  readonly classMask: number;
  /** Status codes counted (besides the classes); undefined: none. */
  readonly codes: ReadonlySet<number> | undefined;
}

/** Folds rows of record batches for a set of rule needs. */
export class RuleFold {
  private readonly filters: readonly CompiledFilter[];
  private readonly latency: boolean;
  private readonly vhost: boolean;
  private readonly keys: readonly string[];

  constructor(needs: RuleNeeds) {
    this.filters = [...needs.filters].map(([key, f]) => compile(key, f));
    this.keys = this.filters.map((f) => f.key);
    this.latency = needs.latency;
    this.vhost = needs.vhost;
  }

  /** A fresh accumulator for a window. */
  create(): RuleAccumulator {
    const n = this.filters.length;
    const acc: RuleAccumulator = { keys: this.keys, hits: new Float64Array(n), bytes: new Float64Array(n) };
    if (this.latency) acc.latency = createSketch();
    return acc;
  }

  /** Before the rows of `batch`: the filters' sections as ids of its dictionary (looked up again when it changed or grew). */
  prepare(batch: RecordBatch): void {
    const dict = batch.sectionDict;
    if (dict === this.dict && dict.length === this.dictLength) return;
    this.dict = dict;
    this.dictLength = dict.length;
    for (const f of this.filters) if (f.section !== undefined) f.sectionId = dict.indexOf(f.section);
  }

  private dict: readonly string[] | undefined;
  private dictLength = 0;

  /** Folds a valid row of `batch` (after `prepare(batch)`) into `acc`. */
  row(acc: RuleAccumulator, batch: RecordBatch, row: number): void {
    const status = batch.status[row] as number;
    const bytes = batch.bytes[row] as number;
    const section = batch.sectionIds[row] as number;
    const vhost = this.vhost ? vhostOf(batch.textOf(row)) : undefined;
    const classBit = 1 << (Math.floor(status / 100) % 10);
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i] as CompiledFilter;
      if (f.section !== undefined && section !== f.sectionId) continue;
      if ((f.classMask !== 0 || f.codes !== undefined) && (f.classMask & classBit) === 0 && f.codes?.has(status) !== true) continue;
      if (f.vhost !== undefined && vhost !== f.vhost) continue;
      (acc.hits[i] as number)++;
      acc.bytes[i] = (acc.bytes[i] as number) + bytes;
    }
    if (acc.latency !== undefined && batch.durations) {
      const duration = batch.recordAt(row).duration;
      if (duration !== undefined) addDuration(acc.latency, duration);
    }
  }
}

/** The accumulator as the interval's rule data. */
export function intervalData(acc: RuleAccumulator): RuleIntervalData {
  const filtered: Record<string, { hits: number; bytes: number }> = {};
  acc.keys.forEach((key, i) => {
    filtered[key] = { hits: acc.hits[i] as number, bytes: acc.bytes[i] as number };
  });
  return acc.latency === undefined ? { filtered } : { filtered, latency: acc.latency };
}

function compile(key: string, f: RuleFilter): CompiledFilter {
  let classMask = 0;
  const codes = new Set<number>();
  for (const s of f.status ?? []) {
    if (/^[1-9]xx$/.test(s)) classMask |= 1 << Number(s[0]);
    else codes.add(Number(s));
  }
  return { key, section: f.section, sectionId: -1, vhost: f.vhost, classMask, codes: codes.size === 0 ? undefined : codes };
}

/** `%v` of a vhost_combined line (`host:port ...`), port dropped; `-` for a line without one. */
export function vhostOf(line: string): string {
  const match = /^([^\s:]+):\d{1,5} \S+ \S+ \S+ \[/.exec(line);
  return match === null ? '-' : (match[1] as string);
}
