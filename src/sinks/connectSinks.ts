import type { Observable } from 'rxjs';
import type { MonitorEvent } from '../types.js';
import type { Sink, SinkReport } from './sink.js';

/** Options of {@link connectSinks}. */
export interface ConnectSinksOptions {
  /** One-line messages: a sink threw and was stopped. Default: ignored. */
  readonly onWarning?: (message: string) => void;
}

/** What {@link fanOut} returns: call it with each event. */
export interface FanOut {
  (event: MonitorEvent): void;
  /** Events `sink` did not get because it threw and was dropped (the one it threw on included). */
  skipped(sink: Pick<Sink, 'next'>): number;
}

/**
 * Hands each event to every sink. A sink that throws is reported once through `warn` and
 * dropped; the others, and the engine, go on. `skipped(sink)` counts the events a dropped
 * sink did not get (the one it threw on included).
 */
export function fanOut(sinks: readonly Pick<Sink, 'next'>[], warn: (message: string) => void = () => undefined): FanOut {
  const live = new Set(sinks);
  const skipped = new Map<Pick<Sink, 'next'>, number>();
  const next = (event: MonitorEvent): void => {
    for (const [sink, n] of skipped) skipped.set(sink, n + 1);
    for (const sink of live) {
      try {
        sink.next(event);
      } catch (err) {
        live.delete(sink);
        skipped.set(sink, 1);
        try {
          warn(`an output failed and was stopped: ${err instanceof Error ? err.message : String(err)}`);
        } catch {
          // a failing warning callback must not stop the others
        }
      }
    }
  };
  return Object.assign(next, { skipped: (sink: Pick<Sink, 'next'>) => skipped.get(sink) ?? 0 });
}

/**
 * Runs `sinks` on `events$`: subscribes, hands every event to every sink (a
 * sink that throws is reported and dropped, its later events counted as undelivered), and
 * when the events complete closes every sink and resolves with their reports, in order.
 * When `events$` errors, the sinks are closed too and the promise rejects with that error.
 * It also rejects (after closing the others) if a sink's `close` rejects, which a sink does
 * only for a bug, never for a delivery failure.
 *
 * @example
 * ```ts
 * import { connectSinks, createTextSink, monitor, readLogFile } from 'apachescan';
 *
 * const reports = await connectSinks(monitor(readLogFile('access.log')), [createTextSink({ stream: process.stdout, format: 'json' })]);
 * if (reports.some((r) => r.undelivered > 0)) process.exitCode = 1;
 * ```
 */
export async function connectSinks(
  events$: Observable<MonitorEvent>,
  sinks: readonly Sink[],
  options: ConnectSinksOptions = {},
): Promise<SinkReport[]> {
  const next = fanOut(sinks, options.onWarning);
  let failure: { error: unknown } | undefined;
  await new Promise<void>((resolve) => {
    events$.subscribe({
      next,
      error: (error: unknown) => {
        failure = { error };
        resolve();
      },
      complete: resolve,
    });
  });
  const reports = await closeSinks(sinks, next.skipped);
  if (failure !== undefined) throw failure.error;
  return reports;
}

/**
 * Closes every sink (all at once) and resolves with their reports, in order; `skipped` adds
 * events a sink missed to its `undelivered`. Rejects with the first `close` that rejected,
 * once all have settled.
 */
export async function closeSinks(sinks: readonly Sink[], skipped: (sink: Sink) => number = () => 0): Promise<SinkReport[]> {
  const results = await Promise.allSettled(sinks.map((sink) => sink.close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((r, i) => {
    const report = (r as PromiseFulfilledResult<SinkReport>).value;
    const missed = skipped(sinks[i] as Sink);
    if (missed === 0) return report;
    const note = `stopped after an error, ${missed} event(s) not given to it`;
    return {
      ...report,
      undelivered: report.undelivered + missed,
      detail: report.detail === undefined ? `${report.name}: ${note}` : `${report.detail}; ${note}`,
    };
  });
}
