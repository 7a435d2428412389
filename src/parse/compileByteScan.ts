/**
 * A custom LogFormat's scan plan (`plan.ts`) turned into one straight-line function over
 * bytes, built once per format: each step's literal compared byte by byte against constants,
 * each field's end found by the loop its mode needs, no per-step dispatch at run time. It
 * does what `scanLine` (`scan.ts`) does over characters, on bytes (see `byteFormatParser.ts`
 * for why bytes find the same places).
 *
 * The generated source holds only numbers from the plan (byte values, slots, lengths), never
 * text of the format, so nothing in a format can change the code's meaning.
 */
import { closingQuote } from './byteLineParser.js';
import { Mode, type Plan, type Step } from './plan.js';

/** Fills `starts` / `ends` per slot for `b[start, end)`; false when the line does not have the format's shape. */
export type ByteScan = (b: Buffer, start: number, end: number, starts: Int32Array, ends: Int32Array) => boolean;

const SP = 0x20;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const QUESTION = 0x3f;

/** The scan of `plan`; every lead and terminator must be ASCII (one byte per character). */
export function compileByteScan(plan: Plan): ByteScan {
  const literals: Buffer[] = [];
  const body = plan.steps.map((step, s) => stepSource(step, s, literals)).join('\n');
  const source = `"use strict";
return function scan(b, start, end, starts, ends) {
  let pos = start;
  let e = 0;
${body}
  return pos === end${plan.allowTrailing ? ` || b[pos] === ${SP}` : ''};
};`;
  const make = new Function('closingQuote', 'bracketedEnd', 'findBytes', 'literals', source) as (...helpers: unknown[]) => ByteScan;
  return make(closingQuote, bracketedEnd, findBytes, literals);
}

function stepSource(step: Step, s: number, literals: Buffer[]): string {
  const lead = bytesOf(step.lead);
  const lines: string[] = [`  // step ${s}`];
  if (step.known < lead.length) {
    const checks = lead.slice(step.known).map((c, k) => `b[pos + ${step.known + k}] !== ${c}`);
    lines.push(`  if (pos + ${lead.length} > end || ${checks.join(' || ')}) return false;`);
  }
  if (lead.length > 0) lines.push(`  pos += ${lead.length};`);
  if (step.slot < 0) return lines.join('\n');
  const find = findSource(step, literals);
  lines.push(step.bracketed ? `  if (b[pos] === ${LBRACKET}) e = bracketedEnd(b, pos, end);\n  else {\n${find}\n  }` : find);
  lines.push(`  if (e < 0) return false;`, `  starts[${step.slot}] = pos;`, `  ends[${step.slot}] = e;`);
  if (step.querySplit) {
    lines.push(
      `  { let q = pos; while (q < e && b[q] !== ${QUESTION}) q++; ends[${step.slot}] = q; starts[${step.slot + 1}] = q; ends[${step.slot + 1}] = e; }`,
    );
  }
  lines.push('  pos = e;');
  return lines.join('\n');
}

/** Source setting `e` to the end of the field at `pos` (-1 when it has none). */
function findSource(step: Step, literals: Buffer[]): string {
  const terminator = bytesOf(step.terminator);
  switch (step.mode) {
    case Mode.Quoted:
      return '  e = closingQuote(b, pos, end);';
    case Mode.UntilLiteral:
      if (terminator.length === 1) return `  e = pos; while (e < end && b[e] !== ${terminator[0]}) e++; if (e === end) e = -1;`;
      if (terminator.length === 2) {
        return `  e = pos; while (e + 1 < end && (b[e] !== ${terminator[0]} || b[e + 1] !== ${terminator[1]})) e++; if (e + 1 >= end) e = -1;`;
      }
      literals.push(Buffer.from(terminator));
      return `  e = findBytes(b, pos, end, literals[${literals.length - 1}]);`;
    case Mode.UntilSpaceOrEnd:
      return `  e = pos; while (e < end && b[e] !== ${SP}) e++;`;
    default:
      return '  e = end;';
  }
}

function bytesOf(text: string): number[] {
  const bytes = [...text].map((c) => c.charCodeAt(0));
  if (bytes.some((c) => !(c >= 0 && c < 0x80))) throw new Error('compileByteScan: literals must be ASCII');
  return bytes;
}

/** End of a bracketed `%t` that starts with `[` at `pos` (just after its `]`), or -1. */
function bracketedEnd(b: Buffer, pos: number, end: number): number {
  if (b[pos + 27] === RBRACKET && pos + 28 <= end) return pos + 28;
  for (let k = pos; k < end; k++) if (b[k] === RBRACKET) return k + 1;
  return -1;
}

/** Start of the first occurrence of `literal` in `b[pos, end)`, or -1. */
function findBytes(b: Buffer, pos: number, end: number, literal: Buffer): number {
  const first = literal[0] as number;
  const last = end - literal.length;
  outer: for (let at = pos; at <= last; at++) {
    if (b[at] !== first) continue;
    for (let k = 1; k < literal.length; k++) if (b[at + k] !== literal[k]) continue outer;
    return at;
  }
  return -1;
}
