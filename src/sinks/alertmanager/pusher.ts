import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { AlertEvent, MonitorEvent } from '../../types.js';
import { SinkError } from '../../errors.js';
import { alertmanagerEndpoint } from './alertmanagerUrl.js';
import { toPostableAlert, type AlertSnapshot } from './postableAlert.js';
import { postAlerts } from './postAlerts.js';
import type { Sink, SinkReport } from '../sink.js';
import { checkedMaxAlertAge, createAlertAgeGate, tooOldMessage } from '../alertAge.js';
import { backoffDelay } from '../retryBackoff.js';

/** Options of {@link createAlertmanagerPusher}. */
export interface AlertmanagerOptions {
  /** Alertmanager base URLs (`http://127.0.0.1:9093`); each one gets every alert (HA pairs). */
  readonly urls: readonly string[];
  /** Labels that identify this monitor's alert, e.g. `{ job: 'apachescan', instance: hostname() }`. */
  readonly labels: Readonly<Record<string, string>>;
  /** A firing alert is sent again this often (ms), as Prometheus does. Default 60 000. */
  readonly resendInterval?: number;
  /** First retry delay after a failed push (ms), doubled per failure, each delay shortened by up to half at random (jitter). Default 1000. */
  readonly retryDelay?: number;
  /** Retry delay cap (ms). Default 30 000. */
  readonly maxRetryDelay?: number;
  /** A push not answered in this time (ms) is aborted and retried. Default 10 000. */
  readonly requestTimeout?: number;
  /** How long `close()` tries to deliver the last state (ms). Default 5000. */
  readonly closeTimeout?: number;
  /**
   * Transitions dated further back than this (ms) from the scheduler's clock are not pushed: a
   * catch-up on a log's past or a replay would page someone for old news. The alert still
   * firing at the end of the catch-up (or of the replay) is pushed once, with its own start time.
   * Default 600 000 (10 min); `Infinity` pushes every transition.
   */
  readonly maxAlertAge?: number;
  /** Processing time (the clock of `maxAlertAge` too) and every timer. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The retry jitter's source, `[0, 1)`. Default `Math.random`; `() => 0` for the plain doubling. */
  readonly random?: () => number;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** One-line messages (Alertmanager down, alert rejected). */
  readonly onWarning?: (message: string) => void;
}

/** Counts of an {@link AlertmanagerPusher}, over all its URLs. */
export interface AlertmanagerStats {
  /** Pushes Alertmanager accepted (over all URLs). */
  readonly sent: number;
  /** Pushes that failed and were retried. */
  readonly failed: number;
  /** Pushes Alertmanager refused as invalid (4xx), not retried. */
  readonly rejected: number;
  /** The same counts for each endpoint, in the order of `urls`. */
  readonly byUrl: readonly AlertmanagerUrlStats[];
}

/** The counts of an {@link AlertmanagerPusher} for one of its URLs. */
export interface AlertmanagerUrlStats {
  /** The API endpoint (`http://am1:9093/api/v2/alerts`). */
  readonly url: string;
  /** Pushes it accepted. */
  readonly sent: number;
  /** Pushes to it that failed and were retried. */
  readonly failed: number;
  /** Pushes it refused as invalid (4xx). */
  readonly rejected: number;
}

/**
 * A running pusher, a {@link Sink}. Its report counts pushes: `delivered` the accepted ones;
 * `undelivered` the refused ones (4xx) plus one per URL that had not received the latest
 * alert state when `close` gave up.
 */
export interface AlertmanagerPusher extends Sink {
  /** The API endpoints, for messages. */
  readonly endpoints: readonly string[];
  /** Takes alert events (others are ignored). Never blocks, never throws. */
  next(event: MonitorEvent): void;
  /**
   * Says again that the alert fires, as `fired` (the firing event an earlier run reported) said,
   * and keeps re-sending it: for a run resumed from a checkpoint while the alert fires, which
   * reports no new transition (without it, Alertmanager lets the alert expire). Ignored once
   * this pusher has seen an alert event.
   */
  resumeFiring(fired: AlertEvent): void;
  /**
   * Stops re-sending, tries to deliver the last state for up to `closeTimeout`, then resolves
   * with the report. Idempotent; never rejects.
   */
  close(): Promise<SinkReport>;
  /** The counts so far. */
  stats(): AlertmanagerStats;
}

/** Transitions kept for a URL that is down (firings and recoveries), oldest dropped beyond. */
const MAX_TRANSITIONS = 64;

/**
 * Pushes apachescan's alert to Alertmanager (API v2): firing with labels and annotations,
 * re-sent every `resendInterval` while it fires (its `endsAt` is 4 intervals ahead, so it
 * expires if apachescan dies), resolved (with `endsAt`) on recovery. A push that fails is
 * retried with backoff; the transitions a URL missed meanwhile (the last 64) are delivered to
 * it in order once it is back, each recovery with its own end time before the next firing
 * with its own start, so that Alertmanager does not merge two firings into one.
 */
export function createAlertmanagerPusher(options: AlertmanagerOptions): AlertmanagerPusher {
  if (options.urls.length === 0) throw new SinkError('no Alertmanager URL given');
  const endpoints = options.urls.map(alertmanagerEndpoint);
  const resendInterval = checked('resendInterval', options.resendInterval ?? 60_000, 1);
  const retryDelay = checked('retryDelay', options.retryDelay ?? 1000, 1);
  const maxRetryDelay = checked('maxRetryDelay', options.maxRetryDelay ?? 30_000, retryDelay);
  const requestTimeout = checked('requestTimeout', options.requestTimeout ?? 10_000, 1);
  const closeTimeout = checked('closeTimeout', options.closeTimeout ?? 5000, 0);
  const maxAlertAge = checkedMaxAlertAge(options.maxAlertAge, (message) => new SinkError(`Alertmanager: ${message}`));
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const warn = (message: string): void => {
    try {
      options.onWarning?.(`alertmanager: ${message}`);
    } catch {
      // a failing warning callback must not stop the pusher
    }
  };
  // The latest state of each alert: the built-in one (key "") and each rule's (its name).
  const snapshots = new Map<string, AlertSnapshot>();
  let version = 0;
  /**
   * The transitions some URL has not received yet, oldest first, at most MAX_TRANSITIONS: one
   * alert's new state (`own`, of alert `key`) and every alert's state just after it. A URL that
   * was down gets them in order once back, so a recovery and a new firing in between are not
   * merged into one. Re-sends are not kept: a URL up to date gets every alert's latest state.
   */
  let transitions: { version: number; key: string; own: AlertSnapshot; alerts: AlertSnapshot[] }[] = [];
  let resendTimer: Subscription | undefined;
  let stopped = false;
  let sent = 0,
    failed = 0,
    rejected = 0;
  const idleWaiters: (() => void)[] = [];
  const gate = createAlertAgeGate(
    maxAlertAge,
    () => scheduler.now(),
    () => warn(tooOldMessage(maxAlertAge)),
  );

  interface Target {
    readonly endpoint: string;
    delivered: number;
    busy: boolean;
    sent: number;
    failed: number;
    rejected: number;
    failures: number;
    retryTimer?: Subscription;
    abort?: () => void;
  }
  const targets: Target[] = endpoints.map((endpoint) => ({
    endpoint,
    delivered: 0,
    busy: false,
    failures: 0,
    sent: 0,
    failed: 0,
    rejected: 0,
  }));
  const allDelivered = (): boolean => targets.every((t) => t.delivered >= version && !t.busy);

  function push(target: Target): void {
    if (stopped || target.busy || target.retryTimer !== undefined || target.delivered >= version || snapshots.size === 0) return;
    // The oldest transition it has not received; every alert's latest state when it has them
    // all (a re-send) or they were given up (more than MAX_TRANSITIONS behind).
    const next = transitions.find((t) => t.version > target.delivered);
    const attempt = next?.version ?? version;
    const now = scheduler.now();
    const body = JSON.stringify(
      (next?.alerts ?? [...snapshots.values()]).map((s) => toPostableAlert(s, now, options.labels, 4 * resendInterval)),
    );
    const controller = new AbortController();
    const timeout = scheduler.schedule(() => controller.abort(), requestTimeout);
    target.busy = true;
    target.abort = () => controller.abort();
    void postAlerts(fetchFn, target.endpoint, body, controller.signal).then((outcome) => {
      timeout.unsubscribe();
      target.busy = false;
      delete target.abort;
      if (stopped) return;
      if (outcome.kind === 'ok' || outcome.kind === 'reject') {
        if (outcome.kind === 'ok') {
          sent++;
          target.sent++;
        } else {
          rejected++;
          target.rejected++;
          warn(`${target.endpoint} refused the alert (${outcome.reason})`);
        }
        if (target.failures > 0 && outcome.kind === 'ok') warn(`${target.endpoint} accepts alerts again`);
        target.failures = 0;
        target.delivered = Math.max(target.delivered, attempt);
        const everywhere = Math.min(...targets.map((t) => t.delivered));
        transitions = transitions.filter((t) => t.version > everywhere);
      } else {
        failed++;
        target.failed++;
        if (target.failures++ === 0) warn(`cannot push to ${target.endpoint} (${outcome.reason}); retrying with backoff`);
        const delay = backoffDelay(target.failures, retryDelay, maxRetryDelay, random);
        target.retryTimer = scheduler.schedule(() => {
          delete target.retryTimer;
          push(target);
        }, delay);
      }
      push(target);
      if (allDelivered()) {
        // Resolved everywhere: nothing left to say about those, and no URL waits for a transition.
        for (const [key, s] of snapshots) if (s.endsAt !== undefined) snapshots.delete(key);
        transitions = [];
        for (const resolve of idleWaiters.splice(0)) resolve();
      }
    });
  }

  const firing = (): boolean => [...snapshots.values()].some((s) => s.endsAt === undefined);
  /** A transition of one alert (`key`: "" for the built-in one, else the rule's name). */
  function update(key: string, next: AlertSnapshot): void {
    snapshots.set(key, next);
    version++;
    const last = transitions.at(-1);
    // Its recovery says all its firing said (start and end): the firing need not go first.
    if (last?.key === key && last.own.endsAt === undefined && last.own.startsAt === next.startsAt && next.endsAt !== undefined)
      transitions.pop();
    transitions.push({ version, key, own: next, alerts: [...snapshots.values()] });
    queued();
  }
  /** Every alert's state sent again (Alertmanager forgets a firing one that is not re-sent). */
  function resend(): void {
    version++;
    queued();
  }
  function queued(): void {
    // Bounded: beyond it the oldest are given up (a URL down that long gets the later ones).
    if (transitions.length > MAX_TRANSITIONS) transitions = transitions.slice(-MAX_TRANSITIONS);
    for (const target of targets) push(target);
  }

  function armResend(): void {
    resendTimer?.unsubscribe();
    resendTimer = scheduler.schedule(function (this: { schedule(state?: unknown, delay?: number): unknown }) {
      if (!firing() || stopped) return;
      resend();
      this.schedule(undefined, resendInterval);
    }, resendInterval);
  }

  function onAlert(event: AlertEvent): void {
    const now = scheduler.now();
    const key = event.rule ?? '';
    if (event.state === 'firing') {
      update(key, { event, startsAt: Math.min(event.at, now) });
      armResend();
    } else {
      // A recovery without a firing seen here (resumed from a checkpoint while firing) still
      // resolves the alert an earlier run pushed: same labels, same fingerprint.
      const startsAt = snapshots.get(key)?.startsAt ?? Math.min(event.at, now);
      update(key, { event, startsAt, endsAt: event.at });
      if (!firing()) {
        resendTimer?.unsubscribe();
        resendTimer = undefined;
      }
    }
  }

  function take(event: AlertEvent): void {
    try {
      onAlert(event);
    } catch (err) {
      warn(`alert not pushed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  let closed: Promise<SinkReport> | undefined;
  return {
    endpoints,
    next(event) {
      if (closed !== undefined) return;
      for (const alert of gate.next(event)) take(alert);
    },
    close() {
      if (closed === undefined) for (const alert of gate.end()) take(alert);
      closed ??= new Promise<SinkReport>((resolve) => {
        resendTimer?.unsubscribe();
        let timer: Subscription | undefined;
        const finish = (): void => {
          if (stopped) return;
          stopped = true;
          timer?.unsubscribe();
          for (const target of targets) {
            target.retryTimer?.unsubscribe();
            target.abort?.();
          }
          const missing = snapshots.size === 0 ? [] : targets.filter((t) => t.delivered < version).map((t) => t.endpoint);
          if (missing.length > 0) warn(`closed before ${missing.join(', ')} got the latest alert state`);
          const problems = [
            ...(rejected === 0 ? [] : [`${rejected} push(es) refused`]),
            ...(missing.length === 0 ? [] : [`the latest alert state not delivered to ${missing.join(', ')}`]),
          ];
          resolve({
            name: 'alertmanager',
            delivered: sent,
            undelivered: rejected + missing.length,
            ...(problems.length === 0 ? {} : { detail: `alertmanager: ${problems.join('; ')}` }),
          });
        };
        if (allDelivered() || snapshots.size === 0) return finish();
        timer = scheduler.schedule(finish, closeTimeout);
        idleWaiters.push(finish);
        for (const target of targets) {
          // One last attempt now rather than after a backoff that may outlast the close timeout.
          if (target.retryTimer !== undefined) {
            target.retryTimer.unsubscribe();
            delete target.retryTimer;
          }
          push(target);
        }
      });
      return closed;
    },
    resumeFiring(fired) {
      if (fired.state !== 'firing' || snapshots.has(fired.rule ?? '') || closed !== undefined) return;
      onAlert(fired);
    },
    stats: () => ({
      sent,
      failed,
      rejected,
      byUrl: targets.map((t) => ({ url: t.endpoint, sent: t.sent, failed: t.failed, rejected: t.rejected })),
    }),
  };
}

function checked(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new SinkError(`invalid Alertmanager ${name} ${value}: expected a number >= ${min}`);
  return value;
}
