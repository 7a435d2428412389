import type { AlertEvent, MonitorEvent } from '../types.js';

/** Default of the alert sinks' `maxAlertAge`: 10 minutes. */
export const DEFAULT_MAX_ALERT_AGE = 600_000;

/**
 * What the alert age policy keeps between events: the latest transition it held back because
 * it was too old (a catch-up on the log's past, or a replay), not sent to anyone yet.
 */
export interface AlertAgeState {
  readonly held?: AlertEvent;
}

/** One step of {@link stepAlertAge}: the new state, and the transitions to send now, in order. */
export interface AlertAgeStep {
  readonly state: AlertAgeState;
  readonly send: readonly AlertEvent[];
  /** The event was an alert transition held back (too old). */
  readonly heldBack: boolean;
}

/**
 * The policy of the sinks that reach people (`--on-alert`, Alertmanager), pure: `now` is the
 * processing time, `maxAge` the furthest back (ms) a transition may be dated to be sent.
 *
 * - A transition dated within `maxAge` of `now` is sent (after a firing still held back, which
 *   was the state until then).
 * - An older one is held back, replacing any held before it: only the state at the end of a
 *   catch-up matters.
 * - The catch-up ends at the first interval (a `stats` event) that ends within `maxAge` of
 *   `now`, or at the `summary` (the end of a replay, or a stop): a held firing is sent then,
 *   once, with its own time (the alert is still on); a held recovery is dropped (nothing to say).
 */
export function stepAlertAge(state: AlertAgeState, event: MonitorEvent, now: number, maxAge: number): AlertAgeStep {
  const flush = (): AlertEvent[] => (state.held?.state === 'firing' ? [state.held] : []);
  switch (event.type) {
    case 'alert':
      if (now - event.at <= maxAge) return { state: {}, send: [...flush(), event], heldBack: false };
      return { state: { held: event }, send: [], heldBack: true };
    case 'stats':
      if (state.held === undefined || now - event.end > maxAge) return { state, send: [], heldBack: false };
      return { state: {}, send: flush(), heldBack: false };
    case 'summary':
      return { state: {}, send: flush(), heldBack: false };
  }
}

/** A stateful {@link stepAlertAge}, for one alert sink. */
export interface AlertAgeGate {
  /** The transitions to send for `event` (often none, or the event itself). */
  next(event: MonitorEvent): readonly AlertEvent[];
  /** The end (close without a summary): a held firing, if any. */
  end(): readonly AlertEvent[];
  /** Transitions held back so far (sent later or not at all). */
  readonly heldBack: number;
}

/**
 * Holds back alert transitions older than `maxAge` (ms; `Infinity`: none) by the clock `now`
 * (the sink's scheduler), as {@link stepAlertAge} says, for each alert apart (the built-in one
 * and each rule's). `onFirstHold` is called once, at the first transition held back.
 */
export function createAlertAgeGate(maxAge: number, now: () => number, onFirstHold: () => void = () => undefined): AlertAgeGate {
  const states = new Map<string, AlertAgeState>([['', {}]]);
  let heldBack = 0;
  return {
    next(event) {
      if (maxAge === Infinity) return event.type === 'alert' ? [event] : [];
      const at = now();
      const keys = event.type === 'alert' ? [event.rule ?? ''] : [...states.keys()];
      const send: AlertEvent[] = [];
      for (const key of keys) {
        const step = stepAlertAge(states.get(key) ?? {}, event, at, maxAge);
        states.set(key, step.state);
        if (step.heldBack && heldBack++ === 0) onFirstHold();
        send.push(...step.send);
      }
      return send;
    },
    end() {
      const held = [...states.values()].flatMap((s) => (s.held?.state === 'firing' ? [s.held] : []));
      for (const key of states.keys()) states.set(key, {});
      return held;
    },
    get heldBack() {
      return heldBack;
    },
  };
}

/** `maxAlertAge` checked: a number >= 0 (ms), or `Infinity`. */
export function checkedMaxAlertAge(value: number | undefined, fail: (message: string) => Error): number {
  const age = value ?? DEFAULT_MAX_ALERT_AGE;
  if (Number.isNaN(age) || age < 0) throw fail(`invalid maxAlertAge ${age}: expected a number of ms >= 0, or Infinity`);
  return age;
}

/** What an alert sink says once, at the first transition held back. */
export function tooOldMessage(maxAlertAge: number): string {
  return `alert transitions dated more than ${maxAlertAge / 1000} s ago are not sent (catching up on the log's past); an alert still firing at the end is sent once`;
}
