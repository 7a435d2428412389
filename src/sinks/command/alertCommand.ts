import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { AlertEvent, MonitorEvent } from '../../types.js';
import { SinkError } from '../../errors.js';
import { escapeControl } from '../escapeControl.js';
import { isoTime } from '../timeFormat.js';
import { alertCommandInput } from './alertPayload.js';
import { runCommand, type CommandOutcome } from './runCommand.js';
import { checkedMaxAlertAge, createAlertAgeGate, tooOldMessage } from '../alertAge.js';
import type { Sink, SinkReport } from '../sink.js';

/** Options of {@link createAlertCommand}. */
export interface AlertCommandOptions {
  /** Run with `/bin/sh -c` for each alert transition, the event as JSON on stdin. */
  readonly command: string;
  /** A run that takes longer is killed and counted as failed (ms). Default 10 000. */
  readonly timeout?: number;
  /** Transitions waiting while a command runs; beyond it the OLDEST are dropped and counted. Default 100. */
  readonly maxQueued?: number;
  /** How long `close()` lets queued commands run (ms) before killing them. Default 30 000. */
  readonly closeTimeout?: number;
  /**
   * Transitions dated further back than this (ms) from the scheduler's clock are not run: a
   * catch-up on a log's past or a replay would page someone for old news. The alert still
   * firing at the end of the catch-up (or of the replay) is run once, with its own time.
   * Default 600 000 (10 min); `Infinity` runs every transition.
   */
  readonly maxAlertAge?: number;
  /** Every timer goes through it; its `now()` is the clock of `maxAlertAge`. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** One-line messages (control characters escaped): a failed run, dropped transitions, old ones held back. */
  readonly onWarning?: (message: string) => void;
}

/** `run = succeeded + failed + timedOut` (+1 while one runs); `dropped` never ran. */
export interface AlertCommandStats {
  /** Runs started. */
  readonly run: number;
  /** Runs that exited 0. */
  readonly succeeded: number;
  /** Runs that exited non-zero, were killed by a signal, or could not start. */
  readonly failed: number;
  /** Runs killed after `timeout`, or at `close` after `closeTimeout`. */
  readonly timedOut: number;
  /** Transitions that never ran: the queue was full, or still queued at `close`. */
  readonly dropped: number;
  /** Transitions waiting now. */
  readonly queued: number;
}

/**
 * A running command runner, a {@link Sink}. Its report counts alert transitions: `delivered`
 * the runs that exited 0; `undelivered` those that failed, timed out or were dropped.
 */
export interface AlertCommand extends Sink {
  /** Queues a run for an alert event (other events are ignored). Never blocks, never throws. */
  next(event: MonitorEvent): void;
  /**
   * Waits for queued runs up to `closeTimeout`, then kills what is left, and resolves with the
   * report. Idempotent; never rejects.
   */
  close(): Promise<SinkReport>;
  /** The counts so far. */
  stats(): AlertCommandStats;
}

/**
 * Runs a command for each alert transition, one at a time and in order, off the pipeline:
 * `next` only queues. Each run is bounded by `timeout`; failures are reported through
 * `onWarning` and counted.
 */
export function createAlertCommand(options: AlertCommandOptions): AlertCommand {
  if (options.command.trim() === '') throw new SinkError('--on-alert needs a command');
  const timeout = checked('timeout', options.timeout ?? 10_000, 1);
  const maxQueued = checked('maxQueued', options.maxQueued ?? 100, 1);
  const closeTimeout = checked('closeTimeout', options.closeTimeout ?? 30_000, 0);
  const maxAlertAge = checkedMaxAlertAge(options.maxAlertAge, (message) => new SinkError(`on-alert: ${message}`));
  const scheduler = options.scheduler ?? asyncScheduler;
  const warn = (message: string): void => {
    try {
      options.onWarning?.(`on-alert: ${escapeControl(message)}`);
    } catch {
      // a failing warning callback must not stop the runner
    }
  };
  const queue: AlertEvent[] = [];
  let running: ReturnType<typeof runCommand> | undefined;
  let idle: (() => void) | undefined;
  let closed: Promise<SinkReport> | undefined;
  let stopped = false;
  let run = 0,
    succeeded = 0,
    failed = 0,
    timedOut = 0,
    dropped = 0;
  const gate = createAlertAgeGate(
    maxAlertAge,
    () => scheduler.now(),
    () => warn(tooOldMessage(maxAlertAge)),
  );

  function enqueue(event: AlertEvent): void {
    queue.push(event);
    if (queue.length > maxQueued) {
      queue.shift();
      if (dropped++ === 0) warn(`commands are slower than the alerts: more than ${maxQueued} waiting, dropping the oldest`);
    }
    runNext();
  }

  function runNext(): void {
    if (running !== undefined || stopped) return;
    const event = queue.shift();
    if (event === undefined) return void idle?.();
    run++;
    const child = runCommand(options.command, alertCommandInput(event), { timeout, scheduler });
    running = child;
    void child.done.then((outcome) => {
      running = undefined;
      count(event, outcome);
      runNext();
    });
  }

  function count(event: AlertEvent, outcome: CommandOutcome): void {
    const what = `the ${event.state} alert at ${isoTime(event.at)}`;
    if (outcome.kind === 'ok') succeeded++;
    else if (stopped) {
      // Killed by close() once closeTimeout ran out: a timeout too.
      timedOut++;
      warn(`command for ${what} killed at exit after ${closeTimeout / 1000} s${detail(outcome.stderr)}`);
    } else if (outcome.kind === 'timeout') {
      timedOut++;
      warn(`command for ${what} killed after ${timeout / 1000} s${detail(outcome.stderr)}`);
    } else {
      failed++;
      warn(`command for ${what} failed (${outcome.reason})${detail(outcome.stderr)}`);
    }
  }

  return {
    next(event) {
      if (closed !== undefined) return;
      for (const alert of gate.next(event)) enqueue(alert);
    },
    close() {
      if (closed === undefined) for (const alert of gate.end()) enqueue(alert);
      closed ??= new Promise<void>((resolve) => {
        let timer: { unsubscribe(): void } | undefined;
        const finish = (): void => {
          if (stopped) return;
          timer?.unsubscribe();
          stopped = true;
          dropped += queue.length;
          queue.length = 0;
          // Resolved once the killed run is counted, so stats() add up after close().
          const last = running;
          last?.kill();
          if (last === undefined) resolve();
          else void last.done.then(() => resolve());
        };
        timer = scheduler.schedule(finish, closeTimeout);
        idle = finish;
        if (running === undefined && queue.length === 0) finish();
      }).then(() => {
        const undelivered = failed + timedOut + dropped;
        return {
          name: 'on-alert',
          delivered: succeeded,
          undelivered,
          ...(undelivered === 0
            ? {}
            : {
                detail: `on-alert: ${undelivered} of ${run + dropped} alert command(s) did not succeed (${failed} failed, ${timedOut} timed out, ${dropped} dropped)`,
              }),
        };
      });
      return closed;
    },
    stats: () => ({ run, succeeded, failed, timedOut, dropped, queued: queue.length }),
  };
}

/** `: <stderr tail>` on one line, or nothing. */
function detail(stderr: string): string {
  const text = stderr.trim();
  return text === '' ? '' : `: ${text}`;
}

function checked(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new SinkError(`invalid on-alert ${name} ${value}: expected a number >= ${min}`);
  return value;
}
