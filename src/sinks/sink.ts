import type { AlertEvent, MonitorEvent } from '../types.js';

/**
 * One output of the monitor: the text or NDJSON writer, the live terminal view, the
 * Prometheus exporter, the InfluxDB writer, the Alertmanager pusher, the `--on-alert` command.
 * Every one takes the engine's events through `next` and ends with `close`, which says what
 * could not be delivered. `next` never blocks the engine: a sink that talks to a server
 * queues (bounded), retries and counts what it had to give up.
 *
 * Hand a list of them to {@link connectSinks} to run them on an Observable of events.
 */
export interface Sink {
  /**
   * One engine event (stats, alert, summary). Returns at once; never throws for delivery
   * trouble (a server down, a command failing), which it counts for its report instead.
   */
  next(event: MonitorEvent): void;
  /**
   * Per-request data, for sinks that keep histograms (the Prometheus exporter): pass it as
   * the engine's `onRequest` option. `duration` in seconds, when the log has it.
   */
  request?(bytes: number, duration: number | undefined): void;
  /**
   * The run resumed from a checkpoint while the alert fires (`fired`: the transition an
   * earlier run reported, from the engine state's `alert.fired`), so no new transition comes:
   * for sinks that must keep saying so (Alertmanager forgets an alert that is not re-sent).
   */
  resumeFiring?(fired: AlertEvent): void;
  /**
   * For outputs whose receiver acknowledges what it takes (InfluxDB): what was handed over and
   * not acknowledged yet, which a follow-mode checkpoint keeps so that a resumed run delivers
   * it again (see {@link SinkOutbox}; `sinkOutbox` combines the sinks' for `monitorFiles`).
   */
  readonly outbox?: SinkOutbox;
  /**
   * Stops taking events, flushes (within the sink's own close timeout) and releases what it
   * holds (timers, sockets, servers, the terminal). Resolves with what was and was not
   * delivered; never rejects for a delivery failure. Idempotent.
   */
  close(): Promise<SinkReport>;
}

/**
 * An output's units not acknowledged yet (e.g. line-protocol points), kept in the checkpoint of
 * a followed log (its `outbox`, under `key`) and delivered again after a restart, a `kill -9`
 * included. A sink with an outbox takes a repeat harmlessly (InfluxDB keeps one point per
 * series and timestamp).
 */
export interface SinkOutbox {
  /** The name its units are saved under in the checkpoint, the same in every run (`influx`). */
  readonly key: string;
  /** Units not acknowledged yet, oldest first, as JSON values; at most a bound the sink sets (then the newest). */
  pending(): readonly unknown[];
  /** A run resumed from a checkpoint: the units an earlier run saved (`pending`), to deliver before any event. */
  resume(units: readonly unknown[]): void;
  /**
   * A report an earlier run handed over after its last save, made again on resume and held
   * back from every output: it may be missing from the saved units, so it is delivered again.
   */
  repeated(event: MonitorEvent): void;
}

/** What a sink delivered, as {@link Sink.close} resolves it. */
export interface SinkReport {
  /** Which output: `text`, `json`, `tty`, `prometheus`, `influx`, `alertmanager`, `on-alert`. */
  readonly name: string;
  /** Units delivered, in the sink's own unit (events, points, pushes, command runs). */
  readonly delivered: number;
  /** Units given up on: dropped, refused, failed, or still queued when `close` gave up. */
  readonly undelivered: number;
  /** One line for people, e.g. `3 of 40 InfluxDB point(s) were not delivered to ...`. */
  readonly detail?: string;
}
