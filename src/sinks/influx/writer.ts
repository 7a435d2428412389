import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { MonitorEvent } from '../../types.js';
import { SinkError } from '../../errors.js';
import type { Sink, SinkReport } from '../sink.js';
import { parseInfluxUrl } from './influxUrl.js';
import { createEncoder } from './lineProtocol.js';
import { PointQueue, type QueuedPoint } from './pointQueue.js';
import { sendBatch, type SendOutcome } from './sendBatch.js';
import { backoffDelay } from '../retryBackoff.js';

/** Points not acknowledged yet that a follow-mode checkpoint keeps (the newest; about 250 bytes each). */
const OUTBOX_MAX = 2000;

/** Where and how to write: the URL (with its database or bucket), token, tags, batching and retries. */
export interface InfluxWriterOptions {
  /** `http://127.0.0.1:8086/write?db=web` (1.x) or `http://host:8086/api/v2/write?org=o&bucket=b` (2.x/3.x). */
  readonly url: string;
  /** Sent as `Authorization: Token <token>`. */
  readonly token?: string;
  /** Tags added to every point, e.g. `{ host: os.hostname() }`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** The engine's alert window, ms: `alert_rate` is averaged over it. Default 120 000. */
  readonly alertWindow?: number;
  /** The engine's alert threshold, req/s, written as `alert_threshold` with every interval. Default 10. */
  readonly threshold?: number;
  /** Points per request. Default 500. */
  readonly batchSize?: number;
  /** Longest wait (ms) before a partial batch is sent. Default 1000. */
  readonly flushInterval?: number;
  /** Points held while the server is slow or down; beyond it the OLDEST are dropped. Default 100 000. */
  readonly maxBuffered?: number;
  /** First retry delay (ms), doubled per failure, each delay shortened by up to half at random (jitter). Default 250. */
  readonly retryDelay?: number;
  /** Retry delay cap (ms). Default 30 000. */
  readonly maxRetryDelay?: number;
  /** A request not answered within this time (ms) is aborted and retried. Default 10 000. */
  readonly requestTimeout?: number;
  /** How long `close()` tries to deliver what is buffered (ms). Default 5000. */
  readonly closeTimeout?: number;
  /** Every timer (flush, backoff, timeouts) goes through it. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The retry jitter's source, `[0, 1)`. Default `Math.random`; `() => 0` for the plain doubling. */
  readonly random?: () => number;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** One-line messages (server down, batch rejected, points dropped). Default: ignored. */
  readonly onWarning?: (message: string) => void;
}

/** Counts in points. `written + dropped + buffered` = points accepted by `next`. */
export interface InfluxWriterStats {
  /** Points the server accepted. */
  readonly written: number;
  /** Points given up on (buffer full, refused by the server, or still queued at close). */
  readonly dropped: number;
  /** Requests sent again after a failure. */
  readonly retries: number;
  /** Points queued, not yet written. */
  readonly buffered: number;
}

/**
 * A running writer, a {@link Sink}: `next` never blocks or throws; `flush` and `close` wait
 * for the server. Its report counts points: written, and dropped (undelivered).
 */
export interface InfluxWriter extends Sink {
  /** The write URL with secrets masked, for messages. */
  readonly endpoint: string;
  /** Encodes and queues an event. Never blocks, never throws; after `close()` its points count as dropped. */
  next(event: MonitorEvent): void;
  /**
   * Sends what is buffered now without waiting for the flush interval; resolves when those
   * points are written or dropped. While the server is down it waits through the retries
   * (use `close()` for a bounded wait). Never rejects.
   */
  flush(): Promise<void>;
  /**
   * Stops accepting events, tries to deliver the rest for up to `closeTimeout`, then stops all
   * timers and counts what is left as dropped. Resolves with the points written and dropped
   * (`undelivered`). Idempotent; never rejects.
   */
  close(): Promise<SinkReport>;
  /** Points written, dropped, retried and buffered so far. */
  stats(): InfluxWriterStats;
}

/**
 * Batching, retrying InfluxDB writer. Validates the URL and options up front (throws
 * `SinkError`). One request at a time, in order; a failed batch goes back to the front.
 *
 * @example
 * ```ts
 * import { hostname } from 'node:os';
 * import { connectSinks, monitor, readLogFile } from 'apachescan';
 * import { createInfluxWriter } from 'apachescan/influx';
 *
 * const influx = createInfluxWriter({ url: 'http://127.0.0.1:8086/write?db=web', tags: { host: hostname() } });
 * const [report] = await connectSinks(monitor(readLogFile('access.log')), [influx]);
 * ```
 */
export function createInfluxWriter(options: InfluxWriterOptions): InfluxWriter {
  const target = parseInfluxUrl(options.url, options.token);
  const encode = createEncoder({
    precision: target.precision,
    ...(options.tags === undefined ? {} : { tags: options.tags }),
    ...(options.alertWindow === undefined ? {} : { alertWindow: options.alertWindow }),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
  });
  const batchSize = checked('batchSize', options.batchSize ?? 500, 1, true);
  const maxBuffered = checked('maxBuffered', options.maxBuffered ?? 100_000, 1, true);
  const flushInterval = checked('flushInterval', options.flushInterval ?? 1000, 0);
  const retryDelay = checked('retryDelay', options.retryDelay ?? 250, 1);
  const maxRetryDelay = checked('maxRetryDelay', options.maxRetryDelay ?? 30_000, retryDelay);
  const requestTimeout = checked('requestTimeout', options.requestTimeout ?? 10_000, 1);
  const closeTimeout = checked('closeTimeout', options.closeTimeout ?? 5000, 0);
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const warn = (message: string): void => {
    try {
      options.onWarning?.(`influx: ${message}`);
    } catch {
      // a failing warning callback must not break the writer
    }
  };

  const queue = new PointQueue();
  let inflight: readonly QueuedPoint[] | null = null;
  let accepted = 0,
    written = 0,
    dropped = 0,
    retries = 0,
    failures = 0;
  let drainTarget = 0; // points with seq below it are sent without waiting for a full batch
  let retryNow = false,
    outage = false,
    overflowing = false,
    closing = false,
    stopped = false;
  let flushTimer: Subscription | null = null,
    retryTimer: Subscription | null = null,
    requestTimer: Subscription | null = null;
  let abort: (() => void) | null = null;
  let closed: Promise<SinkReport> | null = null;
  const waiters: { target: number; resolve: () => void }[] = [];

  const buffered = (): number => queue.size + (inflight?.length ?? 0);
  const lowestUnsettled = (): number => inflight?.[0]?.seq ?? queue.front()?.seq ?? accepted;

  function settle(): void {
    const lowest = lowestUnsettled();
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w !== undefined && (stopped || w.target <= lowest)) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  function enforceBound(): void {
    const n = queue.dropOldest(buffered() - maxBuffered);
    if (n === 0) return;
    dropped += n;
    if (!overflowing) warn(`buffer full (${maxBuffered} points): dropping the oldest points until ${target.display} accepts writes again`);
    overflowing = true;
  }

  function pump(): void {
    if (stopped || inflight !== null || retryTimer !== null) return;
    const front = queue.front();
    if (front === undefined) {
      retryNow = false;
      flushTimer?.unsubscribe();
      flushTimer = null;
      return;
    }
    if (!retryNow && queue.size < batchSize && front.seq >= drainTarget) {
      flushTimer ??= scheduler.schedule(() => {
        flushTimer = null;
        drainTarget = Math.max(drainTarget, accepted);
        pump();
      }, flushInterval);
      return;
    }
    if (retryNow) retries++;
    retryNow = false;
    flushTimer?.unsubscribe();
    flushTimer = null;
    send(queue.take(Math.min(batchSize, maxBuffered)));
  }

  function send(batch: readonly QueuedPoint[]): void {
    inflight = batch;
    const controller = new AbortController();
    abort = () => controller.abort();
    requestTimer = scheduler.schedule(() => controller.abort(), requestTimeout);
    void sendBatch(fetchFn, target, batch.map((p) => p.line).join('\n'), controller.signal).then((outcome) => {
      if (stopped) return;
      requestTimer?.unsubscribe();
      requestTimer = null;
      abort = null;
      inflight = null;
      handle(batch, outcome);
      settle();
      pump();
    });
  }

  function handle(batch: readonly QueuedPoint[], outcome: SendOutcome): void {
    if (outcome.kind === 'ok') {
      written += batch.length;
      if (outage) warn(`${target.display} accepts writes again after ${failures} failed attempt(s)`);
      // Whatever piled up during the outage is overdue: send it without waiting for the flush timer.
      if (failures > 0) drainTarget = Math.max(drainTarget, accepted);
      failures = 0;
      outage = overflowing = false;
    } else if (outcome.kind === 'reject') {
      const rejected = Math.min(batch.length, outcome.rejected ?? batch.length);
      dropped += rejected;
      written += batch.length - rejected;
      warn(`${target.display} rejected ${rejected} of ${batch.length} point(s), dropped them (${outcome.reason})`);
    } else {
      failures++;
      queue.putBack(batch);
      enforceBound();
      if (!outage)
        warn(`cannot write to ${target.display} (${outcome.reason}); retrying with backoff, buffering up to ${maxBuffered} points`);
      outage = true;
      const delay = Math.min(maxRetryDelay, outcome.retryAfter ?? backoffDelay(failures, retryDelay, maxRetryDelay, random));
      retryTimer = scheduler.schedule(() => {
        retryTimer = null;
        retryNow = true;
        pump();
      }, delay);
    }
  }

  function stop(): void {
    stopped = true;
    for (const timer of [flushTimer, retryTimer, requestTimer]) timer?.unsubscribe();
    flushTimer = retryTimer = requestTimer = null;
    abort?.();
    const left = queue.clear() + (inflight?.length ?? 0);
    inflight = null;
    if (left > 0) warn(`closed with ${left} point(s) not written to ${target.display}`);
    dropped += left;
    settle();
  }

  function flush(): Promise<void> {
    if (stopped) return Promise.resolve();
    const wanted = accepted;
    drainTarget = Math.max(drainTarget, wanted);
    const done = new Promise<void>((resolve) => waiters.push({ target: wanted, resolve }));
    settle();
    pump();
    return done;
  }

  function accept(lines: readonly string[]): void {
    if (closing) {
      dropped += lines.length;
      return;
    }
    for (const line of lines) queue.push({ seq: accepted++, line });
    enforceBound();
    pump();
  }

  function next(event: MonitorEvent): void {
    try {
      accept(encode(event));
    } catch (err) {
      warn(`event not written: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    endpoint: target.display,
    next,
    // Points not acknowledged yet (in flight, then queued), the newest OUTBOX_MAX: a checkpoint
    // keeps them, and a restart writes them again (InfluxDB keeps one point per series and time).
    outbox: {
      key: 'influx',
      pending: () => [...(inflight ?? []).map((p) => p.line), ...queue.newest(OUTBOX_MAX)].slice(-OUTBOX_MAX),
      resume: (units) => accept(units.filter((u): u is string => typeof u === 'string' && u !== '' && !u.includes('\n'))),
      repeated: next,
    },
    flush,
    close() {
      if (closed !== null) return closed;
      closing = true;
      if (retryTimer !== null) {
        // One last attempt now rather than after a backoff that may outlast the close timeout.
        retryTimer.unsubscribe();
        retryTimer = null;
        retryNow = true;
      }
      const drained = flush();
      closed = new Promise<SinkReport>((resolve) => {
        const finish = (): void => {
          if (!stopped) stop();
          resolve({
            name: 'influx',
            delivered: written,
            undelivered: dropped,
            ...(dropped === 0
              ? {}
              : { detail: `${dropped} of ${dropped + written} InfluxDB point(s) were not delivered to ${target.display}` }),
          });
        };
        const timer = scheduler.schedule(finish, closeTimeout);
        void drained.then(() => {
          timer.unsubscribe();
          finish();
        });
      });
      return closed;
    },
    stats: () => ({ written, dropped, retries, buffered: buffered() }),
  };
}

function checked(name: string, value: number, min: number, integer = false): number {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new SinkError(`invalid InfluxDB ${name} ${value}: expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return value;
}
