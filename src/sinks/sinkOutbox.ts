import type { MonitorEvent } from '../types.js';
import type { Sink, SinkOutbox } from './sink.js';

/** The outboxes of several sinks as one, keyed by `SinkOutbox.key` (`monitorFiles`' `outbox` option). */
export interface SinksOutbox {
  /** Every sink's `pending()`, by its key. */
  units(): Readonly<Record<string, readonly unknown[]>>;
  /** Hands each sink the units saved under its key. */
  resume(units: Readonly<Record<string, readonly unknown[]>>): void;
  /** Hands a report made again on resume to every sink with an outbox. */
  repeated(event: MonitorEvent): void;
}

/**
 * The outboxes of `sinks` (those that have one) as one, for `monitorFiles`' `outbox` option:
 * saved with the checkpoint by key, handed back to each on resume. Undefined when no sink has one.
 */
export function sinkOutbox(sinks: readonly Sink[]): SinksOutbox | undefined {
  const boxes = sinks.map((s) => s.outbox).filter((b): b is SinkOutbox => b !== undefined);
  if (boxes.length === 0) return undefined;
  return {
    units: () => Object.fromEntries(boxes.map((b) => [b.key, b.pending()])),
    resume: (units) => {
      for (const box of boxes) {
        const saved = units[box.key];
        if (saved !== undefined && saved.length > 0) box.resume(saved);
      }
    },
    repeated: (event) => {
      for (const box of boxes) box.repeated(event);
    },
  };
}
