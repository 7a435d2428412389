/**
 * The hot path: walks a line along a {@link Plan} with `indexOf` and `charCodeAt`,
 * recording where each field starts and ends. No regex, no strings built.
 * Every step moves forward and each search is bounded by the line, so a line costs time
 * linear in its length whatever it contains.
 */
import { Mode, type Plan, type Step } from './plan.js';

const BACKSLASH = 0x5c;
const BOM = 0xfeff;

/**
 * Matches `line[0, end)` against `plan`, filling `starts` / `ends` per field slot.
 * @returns false when the line does not have the shape of the format.
 */
export function scanLine(plan: Plan, line: string, end: number, starts: Int32Array, ends: Int32Array): boolean {
  const steps = plan.steps;
  let pos = line.charCodeAt(0) === BOM ? 1 : 0;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as Step;
    const lead = step.lead;
    if (step.known < lead.length) {
      if (pos + lead.length > end || !matchesAt(line, pos, lead, step.known)) return false;
    }
    pos += lead.length;
    const slot = step.slot;
    if (slot < 0) continue;
    const fieldEnd = fieldEndAt(step, line, pos, end);
    if (fieldEnd < 0) return false;
    starts[slot] = pos;
    ends[slot] = fieldEnd;
    if (step.querySplit) {
      const q = line.indexOf('?', pos);
      const split = q < 0 || q > fieldEnd ? fieldEnd : q;
      ends[slot] = split;
      starts[slot + 1] = split;
      ends[slot + 1] = fieldEnd;
    }
    pos = fieldEnd;
  }
  return pos === end || (plan.allowTrailing && line.charCodeAt(pos) === 0x20);
}

/** End index of the field starting at `pos`, or -1 when it has no end. */
function fieldEndAt(step: Step, line: string, pos: number, end: number): number {
  if (step.bracketed && line.charCodeAt(pos) === 0x5b) {
    if (line.charCodeAt(pos + 27) === 0x5d && pos + 28 <= end) return pos + 28; // the usual length
    const close = line.indexOf(']', pos);
    return close < 0 || close >= end ? -1 : close + 1;
  }
  switch (step.mode) {
    case Mode.Quoted:
      return closingQuote(line, pos, end);
    case Mode.UntilLiteral:
      return findLiteral(line, pos, end, step.terminator);
    case Mode.UntilSpaceOrEnd: {
      let at = pos;
      while (at < end && line.charCodeAt(at) !== 0x20) at++;
      return at;
    }
    default:
      return end;
  }
}

/**
 * Whether `literal` occurs at `line[pos]`, its first `from` chars being known to match (the
 * caller checked that it fits). Literals are short: `charCodeAt` beats a `startsWith` call.
 */
function matchesAt(line: string, pos: number, literal: string, from: number): boolean {
  for (let k = from; k < literal.length; k++) {
    if (line.charCodeAt(pos + k) !== literal.charCodeAt(k)) return false;
  }
  return true;
}

/** Start of the first occurrence of `literal` in `line[pos, end)`, or -1. */
function findLiteral(line: string, pos: number, end: number, literal: string): number {
  const at = line.indexOf(literal, pos);
  return at < 0 || at + literal.length > end ? -1 : at;
}

/**
 * Index of the first `"` at or after `pos` that is not escaped (preceded by an even number
 * of backslashes, counted no further back than `pos`), or -1. Each backslash is counted by
 * at most one quote, so the whole search stays linear.
 */
function closingQuote(line: string, pos: number, end: number): number {
  let q = line.indexOf('"', pos);
  while (q >= 0 && q < end) {
    let b = q - 1;
    while (b >= pos && line.charCodeAt(b) === BACKSLASH) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    q = line.indexOf('"', q + 1);
  }
  return -1;
}
