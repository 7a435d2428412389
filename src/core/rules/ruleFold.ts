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
  readonly vhost: string | undefined;
  /** Status classes counted, by hundreds digit; undefined: any status. */
  readonly classes: boolean[] | undefined;
  readonly codes: ReadonlySet<number>;
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

  /** Folds a valid row of `batch` into `acc`. */
  row(acc: RuleAccumulator, batch: RecordBatch, row: number): void {
    const status = batch.status[row] as number;
    const bytes = batch.bytes[row] as number;
    const vhost = this.vhost ? vhostOf(batch.textOf(row)) : undefined;
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i] as CompiledFilter;
      if (f.classes !== undefined && !f.classes[Math.floor(status / 100) % 10] && !f.codes.has(status)) continue;
      if (f.section !== undefined && batch.sectionDict[batch.sectionIds[row] as number] !== f.section) continue;
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
  acc.keys.forEach((key, i) => (filtered[key] = { hits: acc.hits[i] as number, bytes: acc.bytes[i] as number }));
  return acc.latency === undefined ? { filtered } : { filtered, latency: acc.latency };
}

function compile(key: string, f: RuleFilter): CompiledFilter {
  let classes: boolean[] | undefined;
  const codes = new Set<number>();
  if (f.status !== undefined && f.status.length > 0) {
    classes = new Array<boolean>(10).fill(false);
    for (const s of f.status) {
      if (/^[1-9]xx$/.test(s)) classes[Number(s[0])] = true;
      else codes.add(Number(s));
    }
  }
  return { key, section: f.section, vhost: f.vhost, classes, codes };
}

/** `%v` of a vhost_combined line (`host:port ...`), port dropped; `-` for a line without one. */
export function vhostOf(line: string): string {
  const match = /^([^\s:]+):\d{1,5} \S+ \S+ \S+ \[/.exec(line);
  return match === null ? '-' : (match[1] as string);
}
