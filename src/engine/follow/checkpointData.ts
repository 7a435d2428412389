import type { EngineSettings, EngineState } from '../engineState.js';
import { createEngineState } from '../engineState.js';
import type { FilePosition } from '../../source/index.js';
import type { AlertEvent, MonitorEvent } from '../../types.js';
import { resolve } from 'node:path';
import { hasGlob } from '../../source/glob.js';
import { restoreRuleStates, saveRuleStates, type SavedRuleState } from '../../core/rules/ruleState.js';

/**
 * What a checkpoint belongs to (its `log`): the absolute path of one log named alone (no
 * glob), else `files:` and the patterns, resolved.
 */
export function filesLog(patterns: readonly string[]): string {
  if (patterns.length === 1 && !hasGlob(patterns[0] as string)) return resolve(patterns[0] as string);
  return `files:${patterns.map((p) => resolve(p)).join('\n')}`;
}

/** One file's part of a checkpoint. */
export interface FileProgress {
  /** Where a restart reads this file again from (the oldest chunk that fed a still-open window). */
  readonly replay: FilePosition;
  /** How far its lines went into the engine. */
  readonly processed: FilePosition;
}

/**
 * What a follow-mode checkpoint holds, for one followed file or several (one file is several
 * with N = 1): per file where to read from on restart (`replay`: the start of the oldest chunk
 * that fed a still-open window) and how far its lines were already processed (`processed`),
 * and the one engine state at that point. On resume the lines between the two are read again:
 * those of open windows are counted again (they were in no emitted window), all others are
 * skipped (already in an emitted window, or already counted late or invalid).
 *
 * Version 3 (version 2 and an optional `outbox`). A version 1 or 2 checkpoint is migrated when
 * it is loaded.
 */
export interface FollowCheckpoint {
  /** The layout of this object; an older one is migrated, an unknown one refused. */
  readonly version: 3;
  /** What was followed: the absolute path of one log, or `files:` and the patterns (see `filesLog`). */
  readonly log: string;
  /**
   * Settings that give windows their meaning (`interval`, `lateness`, `alertWindow` in ms, the
   * `format` name or LogFormat string); a checkpoint made with others is refused.
   */
  readonly settings: {
    /** Window length, ms. */
    readonly interval: number;
    /** Bounded lateness, ms. */
    readonly lateness: number;
    /** Averaging window of the alert, ms. */
    readonly alertWindow: number;
    /** The format name or LogFormat string. */
    readonly format: string;
  };
  /** Each file's progress, by path (as given, or expanded from a glob). */
  readonly files: Readonly<Record<string, FileProgress>>;
  /** `EngineState.windowing` without its open windows (they refill on replay); `null` for "none yet". */
  readonly windowing: {
    /** Newest event time seen, ms. */
    readonly maxTime: number | null;
    /** Records close windows up to here, ms. */
    readonly watermark: number | null;
    /** Start of the next window to emit, ms. */
    readonly nextStart: number | null;
  };
  /** `EngineState.pending`: invalid and late lines not yet in a stats event. */
  readonly pending: {
    /** Invalid lines not yet reported. */
    readonly invalid: number;
    /** Late lines not yet reported. */
    readonly late: number;
  };
  /** `EngineState.alert`: the sliding sum, whether it fires, and the transition that made it fire. */
  readonly alert: {
    /** Whether it fires. */
    readonly firing: boolean;
    /** Start times of the intervals in the alert window, oldest first. */
    readonly starts: number[];
    /** Their hits. */
    readonly hits: number[];
    /** Sum of `hits`. */
    readonly sum: number;
    /** While firing: the transition that made it fire. */
    readonly fired?: AlertEvent;
  };
  /** `EngineState.totals`, without the per-reason counts. */
  readonly totals: {
    /** Non-empty lines counted. */
    readonly lines: number;
    /** Lines parsed as requests. */
    readonly parsed: number;
    /** Invalid lines. */
    readonly invalid: number;
    /** Late lines. */
    readonly late: number;
  };
  /** `EngineState.rules`: each alert rule's definition, sliding window and state (absent without rules). */
  readonly rules?: readonly SavedRuleState[];
  /** Events (stats, alerts) made up to this state, since the log was first followed. */
  readonly reports?: number;
  /**
   * Events handed over, as last recorded (kept current between saves, in place: see
   * `CheckpointWriter.markSent`); at least `reports`. A restart holds back that many.
   */
  readonly sent?: number;
  /**
   * Since version 3: what outputs had handed over but not yet seen acknowledged when it was
   * saved (e.g. InfluxDB points), by output, opaque to the engine (JSON values, bounded by each
   * output); a resumed run hands them back (`CheckpointOutbox.resume`). Absent when empty.
   */
  readonly outbox?: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * The outputs' side of a checkpoint (see `FollowCheckpoint.outbox`), for outputs whose
 * receivers acknowledge what they take (a database): what is not acknowledged yet is saved
 * with every checkpoint and handed back to a resumed run, which delivers it again.
 */
export interface CheckpointOutbox {
  /** Units not yet acknowledged, by output (JSON values, bounded); read at every save. */
  units(): Readonly<Record<string, readonly unknown[]>>;
  /** A resumed run starts: the units the checkpoint it resumes from kept (before any event). */
  resume(units: Readonly<Record<string, readonly unknown[]>>): void;
  /**
   * A report made again after a restart and held back (an earlier run handed it over after
   * its last save, so the saved units may miss what it made of it): for outputs whose
   * deliveries are idempotent.
   */
  repeated(event: MonitorEvent): void;
}

export interface CheckpointContext {
  readonly log: string;
  readonly format: string;
  readonly settings: EngineSettings;
}

/** The engine state and the files' progress as a checkpoint (JSON-safe: -Infinity becomes null). */
export function toCheckpoint(
  ctx: CheckpointContext,
  state: EngineState,
  files: Readonly<Record<string, FileProgress>>,
  reports = 0,
  outbox?: Readonly<Record<string, readonly unknown[]>>,
): FollowCheckpoint {
  const { windowing, pending, alert, totals } = state;
  const finite = (n: number | undefined): number | null => (n === undefined || !Number.isFinite(n) ? null : n);
  return {
    version: 3,
    log: ctx.log,
    settings: {
      interval: ctx.settings.interval,
      lateness: ctx.settings.lateness,
      alertWindow: ctx.settings.alertWindow,
      format: ctx.format,
    },
    files,
    windowing: { maxTime: finite(windowing.maxTime), watermark: finite(windowing.watermark), nextStart: finite(windowing.nextStart) },
    pending: { ...pending },
    alert: {
      firing: alert.firing,
      starts: [...alert.starts],
      hits: [...alert.hits],
      sum: alert.sum,
      ...(alert.fired === undefined ? {} : { fired: alert.fired }),
    },
    totals: { ...totals },
    ...(state.rules.length === 0 ? {} : { rules: saveRuleStates(state.rules) }),
    reports,
    ...(outbox === undefined || Object.values(outbox).every((u) => u.length === 0) ? {} : { outbox }),
  };
}

/** A fresh engine state carrying what the checkpoint remembered (open windows refill on replay). */
export function engineStateFrom(checkpoint: FollowCheckpoint, settings: EngineSettings): EngineState {
  const state = createEngineState(settings);
  const { windowing, pending, alert, totals } = checkpoint;
  state.windowing.maxTime = windowing.maxTime ?? -Infinity;
  state.windowing.watermark = windowing.watermark ?? -Infinity;
  state.windowing.nextStart = windowing.nextStart ?? undefined;
  Object.assign(state.pending, pending);
  state.alert.firing = alert.firing;
  state.alert.starts.push(...alert.starts);
  state.alert.hits.push(...alert.hits);
  state.alert.sum = alert.sum;
  if (alert.firing && isFiring(alert.fired)) state.alert.fired = alert.fired;
  Object.assign(state.totals, totals);
  restoreRuleStates(state.rules, checkpoint.rules);
  return state;
}

/** Why a checkpoint cannot be used with these settings, or undefined when it can. */
export function incompatibility(checkpoint: FollowCheckpoint, ctx: CheckpointContext): string | undefined {
  const s = checkpoint.settings;
  if (checkpoint.log !== ctx.log) return `it belongs to ${checkpoint.log}`;
  if (
    s.interval !== ctx.settings.interval ||
    s.lateness !== ctx.settings.lateness ||
    s.alertWindow !== ctx.settings.alertWindow ||
    s.format !== ctx.format
  ) {
    return OTHER_SETTINGS;
  }
  return undefined;
}

/** Whether `value` (parsed JSON) has the shape of a follow checkpoint of this version. */
export function isFollowCheckpoint(value: unknown): value is FollowCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<FollowCheckpoint>;
  return v.version === 3 && hasFiles(v.files) && hasEngineFields(v) && (v.outbox === undefined || isOutbox(v.outbox));
}

/**
 * `value` (parsed JSON) as a checkpoint of this version: as it is, or migrated from version 2
 * (the same without `outbox`) or version 1 (one file's `replay` and `processed` at the top,
 * whose path is `path`; or several files, whose `files` were already there). Undefined when it
 * is neither.
 * @param path the followed file, for a version 1 checkpoint of one file (its `log` is that file's absolute path).
 */
export function migrateCheckpoint(value: unknown, path: string | undefined): FollowCheckpoint | undefined {
  if (isFollowCheckpoint(value)) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Omit<Partial<FollowCheckpoint>, 'version'> & { version?: unknown; replay?: unknown; processed?: unknown };
  if ((v.version !== 1 && v.version !== 2) || typeof v.log !== 'string' || !hasEngineFields(v)) return undefined;
  const { replay, processed, outbox: _none, ...rest } = v;
  if (hasFiles(v.files)) return { ...rest, version: 3, files: v.files } as FollowCheckpoint;
  if (v.version !== 1 || !isPosition(replay) || !isPosition(processed) || path === undefined) return undefined;
  return { ...rest, version: 3, files: { [path]: { replay, processed } } } as FollowCheckpoint;
}

function isOutbox(outbox: unknown): boolean {
  return typeof outbox === 'object' && outbox !== null && Object.values(outbox).every((units) => Array.isArray(units));
}

function hasEngineFields(v: Omit<Partial<FollowCheckpoint>, 'version'>): boolean {
  return (
    typeof v.log === 'string' &&
    typeof v.settings === 'object' &&
    typeof v.windowing === 'object' &&
    typeof v.pending === 'object' &&
    typeof v.alert === 'object' &&
    Array.isArray(v.alert?.starts) &&
    typeof v.totals === 'object' &&
    (v.reports === undefined || Number.isSafeInteger(v.reports)) &&
    (v.sent === undefined || Number.isSafeInteger(v.sent))
  );
}

function hasFiles(files: unknown): files is Record<string, FileProgress> {
  if (typeof files !== 'object' || files === null) return false;
  return Object.values(files).every((f: Partial<FileProgress>) => isPosition(f.replay) && isPosition(f.processed));
}

function isPosition(p: unknown): p is FilePosition {
  if (typeof p !== 'object' || p === null) return false;
  const q = p as Partial<FilePosition>;
  return typeof q.dev === 'number' && typeof q.ino === 'number' && typeof q.offset === 'number' && typeof q.fingerprint === 'string';
}

function isFiring(event: unknown): event is AlertEvent {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Partial<AlertEvent>;
  return (
    e.type === 'alert' &&
    e.state === 'firing' &&
    [e.at, e.hits, e.rate, e.threshold].every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

/** Why a checkpoint made with other settings cannot be resumed from, in the library's option names. */
export const OTHER_SETTINGS = 'it was made with another interval, lateness, alertWindow or format';
