/**
 * Compiling format tokens into a scan plan: a list of steps, each "match this literal, then
 * read one field up to its terminator". Which field feeds which record property is decided
 * here, once, so the scanner never looks at roles.
 */
import { LogFormatError } from './errors.js';
import { Role, type FormatToken } from './formatTokens.js';

/** How a field's end is found. */
export const Mode = {
  /** Inside `"..."`: up to the next `"` not escaped by a backslash. */
  Quoted: 0,
  /** Up to the next occurrence of the following literal. */
  UntilLiteral: 1,
  /** Last field: up to the end of the line. */
  UntilEnd: 2,
  /** Last field when trailing text is allowed: up to the next space or the end. */
  UntilSpaceOrEnd: 3,
} as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

export interface Step {
  /** Literal that must come first; may be ''. */
  readonly lead: string;
  /** How many leading chars of `lead` the previous field's search already found in place. */
  readonly known: number;
  /** Scratch slot of the field, or -1 for a step that is only a trailing literal. */
  readonly slot: number;
  readonly mode: Mode;
  /** The literal after the field ('' at the end of the format). */
  readonly next: string;
  /** What ends an unquoted field: `next`, plus `[` when a bracketed `%t` follows. */
  readonly terminator: string;
  /** `%t` outside quotes: `[...]` is read up to `]` (its content has a space). */
  readonly bracketed: boolean;
  /** Two adjacent fields such as `%U%q`: split at the first `?`; the second is `slot + 1`. */
  readonly querySplit: boolean;
}

export interface Plan {
  readonly steps: readonly Step[];
  readonly slots: number;
  readonly allowTrailing: boolean;
  /** Slots feeding each record property, -1 when the format lacks them. */
  readonly host: number;
  readonly time: number;
  readonly status: number;
  readonly bytes: number;
  readonly request: number;
  readonly method: number;
  readonly urlPath: number;
  readonly query: number;
  /** Slot of the time taken (`%D`, `%T`, `%{unit}T`), -1 when absent, and its unit in seconds. */
  readonly duration: number;
  readonly durationScale: number;
}

type Field = Extract<FormatToken, { kind: 'field' }>;

/** Builds the scan plan; throws {@link LogFormatError} for formats we cannot read. */
export function buildPlan(tokens: readonly FormatToken[], allowTrailing: boolean): Plan {
  const steps: Step[] = [];
  const roles: Role[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i];
    const lead = first?.kind === 'literal' ? first.text : '';
    if (lead !== '') i++;
    const group: Field[] = [];
    for (let t = tokens[i]; t?.kind === 'field'; t = tokens[++i]) group.push(t);
    const after = tokens[i];
    const next = after?.kind === 'literal' ? after.text : '';
    if (group.length === 0) {
      const known = knownLead(steps[steps.length - 1], lead);
      steps.push({ lead, known, slot: -1, mode: Mode.UntilEnd, next, terminator: next, bracketed: false, querySplit: false });
      continue;
    }
    const querySplit = group.length === 2 && group[1]?.role === Role.Query;
    if (group.length > 1 && !querySplit) {
      const names = group.map((f) => f.directive).join('');
      throw new LogFormatError(`log format directives ${names} must be separated by a literal`);
    }
    const quoted = lead.endsWith('"') && next.startsWith('"');
    const mode = quoted ? Mode.Quoted : next !== '' ? Mode.UntilLiteral : allowTrailing ? Mode.UntilSpaceOrEnd : Mode.UntilEnd;
    const bracketed = !quoted && !querySplit && group[0]?.role === Role.Time;
    const terminator = next + (startsBracketedTime(tokens, i + 1, next) ? '[' : '');
    const known = knownLead(steps[steps.length - 1], lead);
    steps.push({ lead, known, slot: roles.length, mode, next, terminator, bracketed, querySplit });
    for (const field of group) roles.push(field.role);
  }
  return resolveSlots(steps, roles, allowTrailing);
}

/**
 * A field found by searching for its terminator ends where the next lead is known to start
 * (all of it, or the closing `"` of a quoted field), so the scanner need not compare it again.
 * Not after a bracketed `%t`: its `]` fast path does not look at what follows.
 */
function knownLead(previous: Step | undefined, lead: string): number {
  if (previous === undefined || previous.slot < 0 || previous.bracketed) return 0;
  if (previous.mode === Mode.UntilLiteral) return lead.length;
  return previous.mode === Mode.Quoted ? 1 : 0;
}

/**
 * Whether a lone, unquoted `%t` starts at `tokens[at]`. Then the field before it ends at
 * `next + '['`, so that a field with spaces in it (`%u`, `%{X-Forwarded-For}i`) still parses.
 */
function startsBracketedTime(tokens: readonly FormatToken[], at: number, next: string): boolean {
  const time = tokens[at];
  const after = tokens[at + 1];
  return time?.kind === 'field' && time.role === Role.Time && after?.kind !== 'field' && !next.endsWith('"');
}

function resolveSlots(steps: Step[], roles: readonly Role[], allowTrailing: boolean): Plan {
  const first = (...wanted: Role[]): number => {
    for (const role of wanted) {
      const slot = roles.indexOf(role);
      if (slot >= 0) return slot;
    }
    return -1;
  };
  const plan: Plan = {
    steps,
    slots: roles.length,
    allowTrailing,
    host: first(Role.Host, Role.Addr),
    time: first(Role.Time),
    status: first(Role.FinalStatus, Role.Status),
    bytes: first(Role.Bytes, Role.BytesOut),
    request: first(Role.Request),
    method: first(Role.Method),
    urlPath: first(Role.UrlPath),
    query: first(Role.Query),
    duration: first(Role.DurationMicros, Role.DurationMillis, Role.DurationSeconds),
    durationScale: 1,
  };
  const durationRole = roles[plan.duration];
  const scaled: Plan = {
    ...plan,
    durationScale: durationRole === Role.DurationMicros ? 1e-6 : durationRole === Role.DurationMillis ? 1e-3 : 1,
  };
  if (plan.time < 0) throw new LogFormatError('log format has no %t: the event time is required');
  if (plan.status < 0) throw new LogFormatError('log format has no %s or %>s: the status is required');
  return scaled;
}
